package io.orchestr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestr.client.JobFilter;
import io.orchestr.client.NotFoundException;
import io.orchestr.client.OrchestratorClient;
import io.orchestr.client.PageRequest;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.Limits;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.api.NewJob;
import io.orchestr.shared.api.Page;
import io.orchestr.shared.json.WireCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** {@code orchestr jobs ...}: list, show, create and cancel jobs. */
@Command(name = "jobs", description = "List, show, create and cancel jobs.", mixinStandardHelpOptions = true)
final class JobsCommand {
    @ParentCommand
    OrchestrCli cli;

    @Spec
    CommandSpec spec;

    @Command(name = "list", description = "Lists jobs, newest first.", mixinStandardHelpOptions = true)
    int list(@Option(names = "--status", description = "Only jobs with this status (${COMPLETION-CANDIDATES}).")
             JobStatus status,
             @Option(names = "--name", description = "Only the jobs of this name.") String name,
             @Option(names = "--pool", description = "Only the jobs of this pool.") String pool,
             @Option(names = "--page", defaultValue = "0", description = "Page number, from 0.") int page,
             @Option(names = "--size", defaultValue = "50", description = "Page size, 1 to 1000.") int size) {
        Page<JobView> jobs = cli.client().jobs(new JobFilter(status, name, null, pool), new PageRequest(page, size));
        Table table = new Table("id", "name", "type", "pool", "status", "server", "restarts", "last error");
        jobs.items().forEach(job -> table.row(job.id(), job.name(), job.type(), job.pool(), job.status(),
                job.serverName(), job.restarts(), job.lastError()));
        cli.print(out(), jobs, table);
        return ExitCode.OK;
    }

    @Command(name = "watch", description = "Redraws the list of jobs every interval, with progress bars, until"
            + " Ctrl-C (or --times).", mixinStandardHelpOptions = true)
    int watch(@Option(names = "--status", description = "Only jobs with this status.") JobStatus status,
              @Option(names = "--pool", description = "Only the jobs of this pool.") String pool,
              @Option(names = "--interval", defaultValue = "PT2S", description = "How often (ISO-8601, default"
                      + " ${DEFAULT-VALUE}).") Duration interval,
              @Option(names = "--times", defaultValue = "0", description = "Stop after this many tables (0: never).")
              int times) throws InterruptedException {
        OrchestratorClient client = cli.client();
        PrintWriter out = out();
        for (int drawn = 0; times == 0 || drawn < times; drawn++) {
            if (drawn > 0) {
                Thread.sleep(interval);
            }
            Page<JobView> jobs = client.jobs(new JobFilter(status, null, null, pool), PageRequest.first(100));
            Table table = new Table("name", "status", "server", "progress", "restarts");
            jobs.items().forEach(job -> table.row(job.name(), job.status(), job.serverName(),
                    ProgressBar.of(job.progress()), job.restarts()));
            // clear the screen and go home, as watch(1) does, so the table redraws in place
            out.print(cli.output == OrchestrCli.Format.table ? "\u001b[H\u001b[2J" : "");
            out.printf("%s jobs at %s%n", jobs.total(), Instant.now());
            cli.print(out, jobs, table);
        }
        return ExitCode.OK;
    }

    @Command(name = "get", description = "Shows one job.", mixinStandardHelpOptions = true)
    int get(@Parameters(paramLabel = "JOB", description = "The job's id or name.") String ref) {
        JobView job = find(cli.client(), ref);
        cli.print(out(), job, describe(job));
        return ExitCode.OK;
    }

    @Command(name = "create", description = "Creates a job; with --wait, waits for its end and exits with it.",
            mixinStandardHelpOptions = true)
    int create(@Parameters(paramLabel = "NAME", description = "Unique among the jobs not Deleted.") String name,
               @Option(names = "--argument", description = "Free text handed to the handler.") String argument,
               @Option(names = "--type", description = "Which handler runs it (default: default).") String type,
               @Option(names = "--pool", description = "Which nodes may run it (default: default).") String pool,
               @Option(names = "--restart", description = "on-failure (default), always or never.") String restart,
               @Option(names = "--max-restarts", description = "Restarts before the job ends for good.")
               Integer maxRestarts,
               @Option(names = "--params", description = "JSON handed to the handler as its params.") String params,
               @Option(names = "--wait", description = "Wait until the job ends: exit 0 when Completed, 5 when"
                       + " Failed.") boolean wait,
               @Option(names = "--timeout", defaultValue = "PT10M", description = "How long --wait waits"
                       + " (ISO-8601, default ${DEFAULT-VALUE}); then exit 6.") Duration timeout) {
        NewJob job = new NewJob(name, argument, type, pool, restart);
        if (maxRestarts != null) {
            job = job.withMaxRestarts(maxRestarts);
        }
        if (params != null) {
            job = job.withParams(json(params));
        }
        OrchestratorClient client = cli.client();
        JobView created = client.createJob(job);
        if (!wait) {
            cli.print(out(), created, describe(created));
            return ExitCode.OK;
        }
        return awaitEnd(client, created, timeout);
    }

    @Command(name = "cancel", description = "Cancels a job: Deleted at once when queued, Deleting until its node"
            + " stops it when running.", mixinStandardHelpOptions = true)
    int cancel(@Parameters(paramLabel = "JOB", description = "The job's id or name.") String ref,
               @Option(names = "--wait", description = "Wait until the job is Deleted.") boolean wait,
               @Option(names = "--timeout", defaultValue = "PT1M", description = "How long --wait waits"
                       + " (ISO-8601, default ${DEFAULT-VALUE}); then exit 6.") Duration timeout) {
        OrchestratorClient client = cli.client();
        JobView cancelled = client.markOnDeleting(find(client, ref).id());
        if (!wait) {
            cli.print(out(), cancelled, describe(cancelled));
            return ExitCode.OK;
        }
        return awaitEnd(client, cancelled, timeout);
    }

    /**
     * The job {@code ref} names: by id when it is one, else by name, the one job of that name that is not
     * {@code Deleted} (names are unique among those), or else the newest of that name.
     *
     * @throws NotFoundException when no job has that id or name
     */
    static JobView find(OrchestratorClient client, String ref) {
        UUID id = asId(ref);
        if (id != null) {
            return client.job(id);
        }
        List<JobView> named = client.jobs(JobFilter.withName(ref), PageRequest.first(Limits.PAGE_SIZE)).items();
        return named.stream().filter(job -> job.status() != JobStatus.Deleted).findFirst()
                .or(() -> named.stream().findFirst())
                .orElseThrow(() -> new NotFoundException("no job with id or name '" + ref + "'"));
    }

    private static UUID asId(String ref) {
        try {
            return UUID.fromString(ref);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Waits until the job's status is final; the exit code says how it ended. */
    private int awaitEnd(OrchestratorClient client, JobView job, Duration timeout) {
        JobView ended = client.awaitEnd(job.id(), timeout);
        cli.print(out(), ended, describe(ended));
        return ended.status() == JobStatus.Failed ? ExitCode.JOB_FAILED : ExitCode.OK;
    }

    private Table describe(JobView job) {
        Table table = new Table("field", "value");
        table.row("id", job.id()).row("name", job.name()).row("type", job.type()).row("pool", job.pool())
                .row("status", job.status()).row("server", job.serverName()).row("argument", job.argument())
                .row("params", job.params()).row("progress", ProgressBar.of(job.progress())).row("result", job.result())
                .row("restarts", job.restarts()).row("last error", job.lastError())
                .row("created", job.createdAt()).row("started", job.startedAt())
                .row("last heartbeat", job.lastHeartbeatAt());
        return table;
    }

    private JsonNode json(String params) {
        try {
            return new WireCodec().mapper().readTree(params);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "--params is not JSON: " + e.getMessage());
        }
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
