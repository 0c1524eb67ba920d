package io.orchestr.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.orchestr.client.OrchestratorClient;
import io.orchestr.client.OrchestratorException;
import io.orchestr.client.PageRequest;
import io.orchestr.shared.json.WireCodec;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;
import java.net.URI;

/**
 * {@code orchestr}: jobs and servers from a shell. Talks to one manager's REST API through the Java client;
 * {@code ORCHESTR_URL} (or {@code --url}) says which, {@code ORCHESTR_TOKEN} (or {@code --token}) with what token. Exit
 * codes: see {@link ExitCode}.
 */
@Command(name = "orchestr", mixinStandardHelpOptions = true, version = "orchestr 0.1.0-SNAPSHOT",
        description = "Creates, lists, steers and cancels Orchestr jobs and shows the server nodes.",
        subcommands = {JobsCommand.class, ServersCommand.class, StatusCommand.class,
                AutoComplete.GenerateCompletion.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:an error (the manager refused the request, or cannot be reached)",
                "2:wrong usage", "3:not found", "4:conflict (a name taken, or the job's status does not allow it)",
                "5:the job ended Failed (--wait)",
                "6:timed out waiting", "7:not allowed"})
public final class OrchestrCli {
    @Option(names = "--url", defaultValue = "${env:ORCHESTR_URL:-http://localhost:8080}",
            scope = CommandLine.ScopeType.INHERIT,
            description = "The manager's base URL (env ORCHESTR_URL; default: ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--token", defaultValue = "${env:ORCHESTR_TOKEN}", scope = CommandLine.ScopeType.INHERIT,
            description = "The bearer token the manager gave your role (env ORCHESTR_TOKEN; with"
                    + " deploy/start-local.sh: .run/admin.token).")
    String token;

    @Option(names = {"-o", "--output"}, defaultValue = "table", scope = CommandLine.ScopeType.INHERIT,
            description = "table (default) or json.")
    Format output;

    /** How a command prints what it got. */
    enum Format { table, json }

    private final ObjectMapper json = new WireCodec().mapper().copy().enable(SerializationFeature.INDENT_OUTPUT);

    OrchestratorClient client() {
        return OrchestratorClient.create(url, token);
    }

    /** The page {@code --page} and {@code --size} ask for; out of range is wrong usage (exit 2). */
    static PageRequest page(CommandSpec spec, int page, int size) {
        try {
            return new PageRequest(page, size);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Prints {@code value} as JSON, or {@code table} for table output. */
    void print(PrintWriter out, Object value, Table table) {
        if (output == Format.json) {
            try {
                out.println(json.writeValueAsString(value));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
            }
        } else {
            out.print(table.render());
        }
        out.flush();
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with its error handling: a failed call prints the manager's message and its exit code. */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new OrchestrCli());
        commandLine.setExecutionExceptionHandler((failure, line, parsed) -> {
            if (failure instanceof OrchestratorException refused) {
                line.getErr().println("orchestr: " + refused.getMessage());
                return ExitCode.of(refused);
            }
            throw failure;
        });
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine;
    }
}
