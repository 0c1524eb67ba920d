package io.orchestr.cli;

import io.orchestr.client.OrchestratorClient;
import io.orchestr.shared.api.BulkRequest;
import io.orchestr.shared.api.BulkResult;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code orchestr jobs bulk}: one action for a group of jobs, a job's children, or a list of ids. */
@Command(name = "bulk", description = "Cancels, pauses, resumes or reruns many jobs at once, each as the single"
        + " command would; prints how many jobs matched and how many changed (the others were so already, or their"
        + " status does not allow it).", mixinStandardHelpOptions = true)
final class JobBulkCommand implements Callable<Integer> {
    /** What {@code POST /api/jobs/bulk} can do. */
    enum Action { cancel, pause, resume, rerun }

    /** Which jobs: exactly one of the three. */
    static final class Selection {
        @Option(names = "--group", required = true, description = "Every job of this group that is not Deleted.")
        String group;

        @Option(names = "--parent", paramLabel = "JOB", required = true, description = "Every child (not Deleted)"
                + " of this job, by its id or name.")
        String parent;

        @Option(names = "--ids", paramLabel = "ID", split = ",", required = true, description = "These jobs, a"
                + " comma list of ids (at most 1000).")
        List<UUID> ids;
    }

    @ParentCommand
    JobsCommand jobs;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ACTION", description = "${COMPLETION-CANDIDATES}.")
    Action action;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Selection which;

    @Override
    public Integer call() {
        OrchestratorClient client = jobs.cli.client();
        String name = action.name();
        BulkRequest request;
        if (which.group != null) {
            request = BulkRequest.forGroup(name, which.group);
        } else if (which.parent != null) {
            request = BulkRequest.forChildrenOf(name, JobsCommand.find(client, which.parent).id());
        } else {
            request = BulkRequest.forIds(name, which.ids);
        }
        BulkResult result = client.bulk(request);
        Table table = new Table("action", "matched", "changed").row(name, result.matched(), result.changed());
        jobs.cli.print(spec.commandLine().getOut(), result, table);
        return ExitCode.OK;
    }
}
