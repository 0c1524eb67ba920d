package io.orchestr.cli;

import io.orchestr.client.OrchestratorClient;
import io.orchestr.client.PageRequest;
import io.orchestr.shared.api.JobEventView;
import io.orchestr.shared.api.Page;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code orchestr jobs events} (or {@code history}): a job's history, one page of it, oldest first. */
@Command(name = "events", aliases = "history", description = "Shows a job's history, oldest first: created, granted"
        + " to a node under an epoch, stopped and why, steered, ended. A job keeps its last events only.",
        mixinStandardHelpOptions = true)
final class JobEventsCommand extends JobSubcommand implements Callable<Integer> {
    @Option(names = "--page", defaultValue = "0", description = "Page number, from 0.")
    int page;

    @Option(names = "--size", defaultValue = "100", description = "Page size, 1 to 1000 (default ${DEFAULT-VALUE}).")
    int size;

    @Override
    public Integer call() {
        PageRequest request = OrchestrCli.page(spec, page, size);
        OrchestratorClient client = cli().client();
        Page<JobEventView> events = client.events(job(client).id(), request);
        Table table = new Table("time", "kind", "server", "epoch", "actor", "detail");
        events.items().forEach(event -> table.row(event.at(), event.kind().wireName(),
                event.serverName() != null ? event.serverName() : event.serverId(), event.epoch(), event.actor(),
                event.detail()));
        PrintWriter out = out();
        cli().print(out, events, table);
        long shown = (long) events.page() * events.size() + events.items().size();
        if (cli().output == OrchestrCli.Format.table && shown < events.total()) {
            out.printf("%d more events: --page %d%n", events.total() - shown, events.page() + 1);
            out.flush();
        }
        return ExitCode.OK;
    }
}
