package io.orchestr.cli;

import io.orchestr.client.OrchestratorClient;
import io.orchestr.shared.api.JobView;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/** A subcommand of {@code orchestr jobs} about one job, which it names by id or name (its parameter). */
abstract class JobSubcommand {
    @ParentCommand
    JobsCommand jobs;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "JOB", description = "The job's id or name.")
    String ref;

    /** The job the parameter names, as {@code jobs get} finds it. */
    JobView job(OrchestratorClient client) {
        return JobsCommand.find(client, ref);
    }

    OrchestrCli cli() {
        return jobs.cli;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
