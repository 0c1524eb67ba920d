package io.orchestr.cli;

import io.orchestr.client.OrchestratorClient;
import io.orchestr.client.PageRequest;
import io.orchestr.shared.api.JobEventView;
import io.orchestr.shared.api.JobView;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code orchestr jobs describe}: a job's whole story in one screen, as {@code kubectl describe} tells a pod's: its
 * fields, then its runs (which node held each epoch, how long the claim took to get the handler running, how each
 * ended, the gaps between them, whether two ever overlapped), then its last events.
 */
@Command(name = "describe", description = "Shows a job's whole story: its fields, its runs (node and epoch of each,"
        + " the gaps between them, whether two overlapped) and its last events.", mixinStandardHelpOptions = true)
final class JobDescribeCommand extends JobSubcommand implements Callable<Integer> {
    /** The events a description reads: a job keeps its last 1,000 at most. */
    private static final int EVENTS = 1000;
    /** The events it prints, the newest. */
    private static final int SHOWN = 20;

    /** What {@code -o json} prints. */
    record Description(JobView job, JobRuns runs, List<JobEventView> events) {
    }

    @Override
    public Integer call() {
        OrchestratorClient client = cli().client();
        JobView job = job(client);
        List<JobEventView> events = client.events(job.id(), new PageRequest(0, EVENTS)).items();
        JobRuns runs = JobRuns.of(events);
        PrintWriter out = out();
        if (cli().output == OrchestrCli.Format.json) {
            cli().print(out, new Description(job, runs, events), null);
            return ExitCode.OK;
        }
        out.print(JobsCommand.describe(job).render());
        out.println();
        out.println(runs.runs().isEmpty() ? "Runs: none yet" : "Runs: " + runs.runs().size() + ", "
                + (runs.maxOwners() <= 1 ? "never two at once" : runs.maxOwners() + " OVERLAPPED (a bug: report it)"));
        Table table = new Table("epoch", "node", "granted", "running after", "ended", "how", "gap before");
        for (int i = 0; i < runs.runs().size(); i++) {
            JobRuns.Run run = runs.runs().get(i);
            table.row(run.epoch(), run.node(), run.grantedAt(), millis(run.claimToRunning()),
                    run.endedAt() == null ? "running" : run.endedAt(), run.end(), millis(runs.gapBefore(i)));
        }
        if (!runs.runs().isEmpty()) {
            out.print(table.render());
        }
        out.println();
        List<JobEventView> last = events.subList(Math.max(0, events.size() - SHOWN), events.size());
        out.println("Events: the last " + last.size() + " of " + events.size());
        Table history = new Table("time", "kind", "server", "epoch", "actor", "detail");
        last.forEach(event -> history.row(event.at(), event.kind().wireName(),
                event.serverName() != null ? event.serverName() : event.serverId(), event.epoch(), event.actor(),
                event.detail()));
        out.print(history.render());
        out.flush();
        return ExitCode.OK;
    }

    private static String millis(Duration duration) {
        return duration == null ? null : duration.toMillis() + " ms";
    }
}
