package io.orchestr.cli;

import io.orchestr.client.JobFilter;
import io.orchestr.client.OrchestratorClient;
import io.orchestr.client.PageRequest;
import io.orchestr.client.ServerFilter;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.NodeStatus;
import io.orchestr.shared.api.ServerView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code orchestr status}: one screen of how the system is, jobs by status and the active nodes' slots. */
@Command(name = "status", description = "Jobs by status, and the active nodes with their slots.",
        mixinStandardHelpOptions = true)
final class StatusCommand implements Callable<Integer> {
    @ParentCommand
    OrchestrCli cli;

    @Spec
    CommandSpec spec;

    /** What {@code -o json} prints. */
    record Summary(Map<JobStatus, Long> jobs, List<ServerView> activeServers, int slots, int slotsUsed) {
    }

    @Override
    public Integer call() {
        OrchestratorClient client = cli.client();
        Map<JobStatus, Long> jobs = new EnumMap<>(JobStatus.class);
        for (JobStatus status : JobStatus.values()) {
            jobs.put(status, client.jobs(JobFilter.withStatus(status), PageRequest.first(1)).total());
        }
        List<ServerView> active = client.servers(new ServerFilter(NodeStatus.Active), PageRequest.first(1_000))
                .items();
        int slots = active.stream().mapToInt(ServerView::maxWorkersCount).sum();
        int used = active.stream().mapToInt(server -> server.orchestratedJobs().size()).sum();

        Table table = new Table("what", "count");
        jobs.forEach((status, count) -> table.row("jobs " + status, count));
        table.row("active nodes", active.size()).row("slots used", used + " of " + slots);
        cli.print(spec.commandLine().getOut(), new Summary(jobs, active, slots, used), table);
        return ExitCode.OK;
    }
}
