package io.orchestr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestr.client.AwaitTimeoutException;
import io.orchestr.client.JobFilter;
import io.orchestr.client.NotFoundException;
import io.orchestr.client.OrchestratorClient;
import io.orchestr.client.OrchestratorException;
import io.orchestr.client.PageRequest;
import io.orchestr.client.ServerFilter;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.Limits;
import io.orchestr.shared.NodeStatus;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.api.NewJob;
import io.orchestr.shared.api.Page;
import io.orchestr.shared.api.ServerView;
import io.orchestr.shared.json.WireCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

/** {@code orchestr jobs ...}: list, show, create, steer, edit and cancel jobs, and show their history. */
@Command(name = "jobs", description = "List, show, create, steer, edit and cancel jobs, and show their history.",
        mixinStandardHelpOptions = true,
        subcommands = {JobEditCommand.class, JobEventsCommand.class, JobBulkCommand.class, JobLogsCommand.class,
                JobDescribeCommand.class})
final class JobsCommand {
    @ParentCommand
    OrchestrCli cli;

    @Spec
    CommandSpec spec;

    /** The {@code --timeout} of a {@code --wait} that waits a minute at the most by default. */
    static final class WaitTimeout {
        @Option(names = "--timeout", paramLabel = "<timeout>", defaultValue = "PT1M", description = "How long --wait"
                + " waits (ISO-8601, default ${DEFAULT-VALUE}); then exit 6.")
        Duration value;
    }

    @Command(name = "list", description = "Lists jobs, newest first.", mixinStandardHelpOptions = true)
    int list(@Option(names = "--status", description = "Only jobs with this status (${COMPLETION-CANDIDATES}).")
             JobStatus status,
             @Option(names = "--name", description = "Only the jobs of this name.") String name,
             @Option(names = "--pool", description = "Only the jobs of this pool.") String pool,
             @Option(names = "--group", description = "Only the jobs of this group.") String group,
             @Option(names = "--parent", paramLabel = "JOB", description = "Only the children of this job (its id or"
                     + " name).") String parent,
             @Option(names = "--page", defaultValue = "0", description = "Page number, from 0.") int page,
             @Option(names = "--size", defaultValue = "50", description = "Page size, 1 to 1000.") int size) {
        PageRequest request = OrchestrCli.page(spec, page, size);
        OrchestratorClient client = cli.client();
        UUID parentId = parent == null ? null : find(client, parent).id();
        Page<JobView> jobs = client.jobs(new JobFilter(status, name, null, pool, group, parentId), request);
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
               @Mixin Fanout fanout,
               @Option(names = "--wait", description = "Wait until the job ends: exit 0 when Completed, 5 when"
                       + " Failed.") boolean wait,
               @Option(names = "--timeout", defaultValue = "PT10M", description = "How long --wait waits"
                       + " (ISO-8601, default ${DEFAULT-VALUE}); then exit 6.") Duration timeout) {
        NewJob job = new NewJob(name, argument, type, pool, restart);
        if (maxRestarts != null) {
            job = job.withMaxRestarts(maxRestarts);
        }
        if (params != null) {
            job = job.withParams(json(spec, params));
        }
        OrchestratorClient client = cli.client();
        job = fanout.applyTo(job, client);
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
               @Mixin WaitTimeout timeout) {
        OrchestratorClient client = cli.client();
        JobView cancelled = client.markOnDeleting(find(client, ref).id());
        if (!wait) {
            cli.print(out(), cancelled, describe(cancelled));
            return ExitCode.OK;
        }
        return awaitEnd(client, cancelled, timeout.value);
    }

    @Command(name = "pause", description = "Pauses a job: its node stops it (Pausing), then it runs nowhere (Paused)"
            + " until resumed; a queued job is Paused at once.", mixinStandardHelpOptions = true)
    int pause(@Parameters(paramLabel = "JOB", description = "The job's id or name.") String ref,
              @Option(names = "--wait", description = "Wait until the job is Paused.") boolean wait,
              @Mixin WaitTimeout timeout) {
        OrchestratorClient client = cli.client();
        JobView paused = client.pause(find(client, ref).id());
        return printSteered(wait ? client.awaitStatus(paused.id(), JobStatus.Paused, timeout.value) : paused);
    }

    @Command(name = "resume", description = "Queues a Paused job again; a no-op for a queued or running one.",
            mixinStandardHelpOptions = true)
    int resume(@Parameters(paramLabel = "JOB", description = "The job's id or name.") String ref,
               @Option(names = "--wait", description = "Wait until the job is Processing again (or ended already:"
                       + " exit 5 when Failed).") boolean wait,
               @Mixin WaitTimeout timeout) {
        OrchestratorClient client = cli.client();
        JobView resumed = client.resume(find(client, ref).id());
        return wait ? awaitRun(client, resumed, timeout.value) : printSteered(resumed);
    }

    @Command(name = "restart", description = "Stops a job's run and starts a new one, never both at once.",
            mixinStandardHelpOptions = true)
    int restart(@Parameters(paramLabel = "JOB", description = "The job's id or name.") String ref) {
        OrchestratorClient client = cli.client();
        return printSteered(client.restart(find(client, ref).id()));
    }

    @Command(name = "move", description = "Stops a job's run and starts the next on another node: --to, or else the"
            + " node of its pool with the most free slots; a queued job is placed there.",
            mixinStandardHelpOptions = true)
    int move(@Parameters(paramLabel = "JOB", description = "The job's id or name.") String ref,
             @Option(names = "--to", paramLabel = "SERVER", description = "The server's id, or the name of an Active"
                     + " one.") String to) {
        OrchestratorClient client = cli.client();
        UUID job = find(client, ref).id();
        return printSteered(client.move(job, to == null ? null : server(client, to)));
    }

    @Command(name = "rerun", description = "Queues a Completed or Failed job again, under its id and name, its"
            + " result, last error, restarts and progress reset.", mixinStandardHelpOptions = true)
    int rerun(@Parameters(paramLabel = "JOB", description = "The job's id or name.") String ref,
              @Option(names = "--keep-checkpoint", description = "Start from the job's last checkpoint (default:"
                      + " from scratch).") boolean keepCheckpoint,
              @Option(names = "--wait", description = "Wait until the job is Processing (or ended already: exit 5"
                      + " when Failed).") boolean wait,
              @Mixin WaitTimeout timeout) {
        OrchestratorClient client = cli.client();
        JobView queued = client.rerun(find(client, ref).id(), keepCheckpoint);
        return wait ? awaitRun(client, queued, timeout.value) : printSteered(queued);
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

    /**
     * The server {@code ref} names: by id when it is one, else the Active server of that name.
     *
     * @throws NotFoundException when no Active server has that name
     */
    private static UUID server(OrchestratorClient client, String ref) {
        UUID id = asId(ref);
        if (id != null) {
            return id;
        }
        return client.servers(new ServerFilter(NodeStatus.Active), PageRequest.first(Limits.PAGE_SIZE)).items()
                .stream().filter(server -> server.name().equals(ref)).map(ServerView::id).findFirst()
                .orElseThrow(() -> new NotFoundException("no Active server with id or name '" + ref + "'"));
    }

    /**
     * Waits until the resumed or rerun job runs, or ended already (a short run may end between two looks): exit 0,
     * or 5 when it ended Failed.
     */
    private int awaitRun(OrchestratorClient client, JobView job, Duration timeout) {
        JobView running;
        try {
            running = client.awaitStatus(job.id(), JobStatus.Processing, timeout);
        } catch (AwaitTimeoutException tooLong) {
            throw tooLong;
        } catch (OrchestratorException never) {
            running = client.job(job.id());
            if (running.status() != JobStatus.Completed && running.status() != JobStatus.Failed) {
                throw never;
            }
        }
        printSteered(running);
        return running.status() == JobStatus.Failed ? ExitCode.JOB_FAILED : ExitCode.OK;
    }

    /** Prints what a steering command left the job as: its status, node and the reason in words. */
    private int printSteered(JobView job) {
        Table table = new Table("name", "status", "server", "reason");
        table.row(job.name(), job.status(), job.serverName(), job.reason());
        cli.print(out(), job, table);
        return ExitCode.OK;
    }

    /** Waits until the job's status is final; the exit code says how it ended. */
    private int awaitEnd(OrchestratorClient client, JobView job, Duration timeout) {
        JobView ended = client.awaitEnd(job.id(), timeout);
        cli.print(out(), ended, describe(ended));
        return ended.status() == JobStatus.Failed ? ExitCode.JOB_FAILED : ExitCode.OK;
    }

    /** The options of {@code jobs create} that place a job in a fan-out, under a parent or a concurrency key. */
    static final class Fanout {
        @Option(names = "--group", description = "The label the runs of one fan-out share.")
        String group;
        @Option(names = "--index", description = "The job's place in its group, 0 or more (needs --group).")
        Integer index;
        @Option(names = "--parent", paramLabel = "JOB", description = "The job that created this one (its id or"
                + " name).")
        String parent;
        @Option(names = "--concurrency-key", paramLabel = "KEY", description = "At most --concurrency-limit jobs of"
                + " this key run at once; the others wait Queued, in creation order.")
        String concurrencyKey;
        @Option(names = "--concurrency-limit", paramLabel = "N", description = "How many jobs of the key may run"
                + " at once (default 1; the key keeps the limit of its first active job).")
        Integer concurrencyLimit;

        /** {@code job} with these options; the parent named by id or name is looked up. */
        NewJob applyTo(NewJob job, OrchestratorClient client) {
            NewJob placed = job;
            if (group != null || index != null) {
                placed = placed.inGroup(group, index);
            }
            if (parent != null) {
                placed = placed.withParent(find(client, parent).id());
            }
            if (concurrencyKey != null || concurrencyLimit != null) {
                placed = placed.withConcurrencyKey(concurrencyKey, concurrencyLimit);
            }
            return placed;
        }
    }

    /**
     * A job as rows of field and value; its reason, group, index, parent, concurrency key and limit, maximum of
     * restarts and timeouts only when it has them.
     */
    static Table describe(JobView job) {
        Table table = new Table("field", "value");
        table.row("id", job.id()).row("name", job.name()).row("type", job.type()).row("pool", job.pool())
                .row("status", job.status());
        rowWhenSet(table, "reason", job.reason());
        table.row("server", job.serverName());
        rowWhenSet(table, "group", job.group());
        rowWhenSet(table, "index", job.index());
        rowWhenSet(table, "parent", job.parentId());
        rowWhenSet(table, "concurrency key", job.concurrencyKey());
        rowWhenSet(table, "concurrency limit", job.concurrencyLimit());
        table.row("argument", job.argument())
                .row("params", job.params()).row("progress", ProgressBar.of(job.progress())).row("result", job.result())
                .row("restarts", job.restarts());
        rowWhenSet(table, "max restarts", job.maxRestarts());
        rowWhenSet(table, "heartbeat timeout", job.heartbeatTimeout());
        rowWhenSet(table, "timeout", job.timeout());
        table.row("last error", job.lastError())
                .row("created", job.createdAt()).row("started", job.startedAt())
                .row("last heartbeat", job.lastHeartbeatAt());
        return table;
    }

    private static void rowWhenSet(Table table, String field, Object value) {
        if (value != null) {
            table.row(field, value);
        }
    }

    /** {@code params} read as JSON; not JSON is wrong usage (exit 2). */
    static JsonNode json(CommandSpec spec, String params) {
        try {
            return new WireCodec().mapper().readTree(params);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "--params is not JSON: " + e.getMessage());
        }
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
