package io.orchestr.cli;

import io.orchestr.client.OrchestratorClient;
import io.orchestr.client.OrchestratorException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code orchestr jobs logs}: the output of a job's current (or last) run, its last 64 KiB, and with -f live. */
@Command(name = "logs", aliases = "output", description = "Shows the output of a job's current run, or of its last"
        + " run when none goes: its last 64 KiB; with -f, then what the run writes, until the run is over.",
        mixinStandardHelpOptions = true)
final class JobLogsCommand extends JobSubcommand implements Callable<Integer> {
    @Option(names = {"-f", "--follow"}, description = "Follow the output as the run writes it, until the run ends.")
    boolean follow;

    @Override
    public Integer call() {
        OrchestratorClient client = cli().client();
        UUID id = job(client).id();
        PrintWriter out = out();
        if (!follow) {
            out.print(client.output(id));
            out.flush();
            return ExitCode.OK;
        }
        try (InputStream stream = client.followOutput(id);
             Reader text = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
            char[] buffer = new char[8192];
            for (int read; (read = text.read(buffer)) >= 0; ) {
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException e) {
            throw new OrchestratorException("the output of job " + id + " stopped streaming: " + e.getMessage(), e);
        }
        return ExitCode.OK;
    }
}
