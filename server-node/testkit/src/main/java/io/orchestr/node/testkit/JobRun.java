package io.orchestr.node.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.orchestr.client.OrchestratorClient;
import io.orchestr.node.JobContext;
import io.orchestr.node.JobHandler;
import io.orchestr.node.JobOutput;
import io.orchestr.node.core.RunData;
import io.orchestr.shared.Progress;
import io.orchestr.shared.json.WireCodec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

/**
 * One run of a {@link JobHandler}, in-process, on a virtual thread of its own as on a node, with a context the
 * test controls:
 *
 * <pre>{@code
 * try (JobRun run = JobRun.of(new SyncOrders()).argument("shop=eu").start()) {
 *     run.awaitHeartbeats(3, Duration.ofSeconds(5));   // it makes progress
 *     Ending ending = run.stop(Duration.ofSeconds(1));  // cancel, as the node does; interrupt after the grace
 *     assertThat(ending.returned()).isTrue();
 * }
 * Ending ending = JobRun.of(new Resize()).params(new Size(640, 480)).runToEnd(Duration.ofSeconds(5));
 * assertThat(ending.result(Thumbnail.class)).isEqualTo(new Thumbnail(640, 480));
 * }</pre>
 *
 * <p>Params bind, results serialize and are refused (past 64 KiB) exactly as on a node; a run whose result was
 * refused ends with the refusal as its error, as it fails on a node. Checkpoints are serialized and checked the
 * same way, and kept in the run: a test feeds the job's last checkpoint with {@link Builder#lastCheckpoint} and
 * reads what the handler stored with {@link #checkpoints}:
 *
 * <pre>{@code
 * try (JobRun run = JobRun.of(new Import()).lastCheckpoint(new Cursor(41)).start()) {
 *     run.awaitCheckpoints(1, Duration.ofSeconds(5));
 *     assertThat(run.checkpoints(Cursor.class).getFirst()).isEqualTo(new Cursor(42));  // it resumed, not restarted
 * }
 * }</pre>
 *
 * <p>What the handler writes to {@link JobContext#output()} goes to a temporary file, read with {@link
 * #output()}:
 *
 * <pre>{@code
 * try (JobRun run = JobRun.of(new Build()).start()) {
 *     run.awaitOutput("BUILD OK", Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p>Threading: every method is thread-safe. {@link #close()} stops the run if it is still going, so a test that
 * fails half-way leaves no handler behind.
 */
public final class JobRun implements AutoCloseable {
    private final Context context;
    private final Thread thread;
    private final CompletableFuture<Ending> ending = new CompletableFuture<>();

    private JobRun(Context context, JobHandler handler) {
        this.context = context;
        this.thread = Thread.ofVirtual().name("orchestr-testkit-" + context.jobName).unstarted(() -> run(handler));
    }

    /** A run of {@code handler}, to set up and {@link Builder#start() start}. */
    public static Builder of(JobHandler handler) {
        return new Builder(Objects.requireNonNull(handler, "handler"));
    }

    /** The context the handler sees. */
    public JobContext context() {
        return context;
    }

    /** Asks the run to stop, as a cancel, a hand-back or the node's shutdown does: {@code isCancelled()} turns true. */
    public void cancel() {
        context.cancelled.countDown();
    }

    /** Interrupts the handler's thread, as the node does when a stopped run outlives the cancel grace. */
    public void interrupt() {
        thread.interrupt();
    }

    /**
     * Stops the run the way the node does: cancels it, waits up to {@code grace} for the handler to return, then
     * interrupts its thread and waits as long again.
     *
     * @throws AssertionError when the handler has not ended even after the interrupt
     */
    public Ending stop(Duration grace) {
        cancel();
        Optional<Ending> ended = endingWithin(grace);
        if (ended.isPresent()) {
            return ended.get();
        }
        interrupt();
        return awaitEnd(grace);
    }

    /**
     * Waits for the handler to end by itself.
     *
     * @throws AssertionError when it has not ended within {@code timeout}
     */
    public Ending awaitEnd(Duration timeout) {
        return endingWithin(timeout).orElseThrow(() -> new AssertionError("the handler of job '" + context.jobName
                + "' did not end within " + timeout + (context.isCancelled() ? " of being cancelled" : "")));
    }

    /** True once the handler returned or threw. */
    public boolean hasEnded() {
        return ending.isDone();
    }

    /** How often the handler called {@link JobContext#heartbeat()} so far. */
    public int heartbeats() {
        return context.heartbeats.get();
    }

    /** When the handler last called {@link JobContext#heartbeat()}; empty before its first call. */
    public Optional<Instant> lastHeartbeat() {
        return Optional.ofNullable(context.lastHeartbeat.get());
    }

    /**
     * Waits until the handler called {@link JobContext#heartbeat()} at least {@code count} times in all.
     *
     * @throws AssertionError when it has not within {@code timeout}, or ended first
     */
    public void awaitHeartbeats(int count, Duration timeout) {
        awaitCount(context.heartbeats, context.heartbeats::get, count, timeout, "heartbeats");
    }

    /** The progress the handler reported last ({@link JobContext#progress}); empty before its first report. */
    public Optional<Progress> progress() {
        return Optional.ofNullable(context.data.progress());
    }

    /** The checkpoints the handler stored ({@link JobContext#checkpoint}), oldest first, as JSON. */
    public List<JsonNode> checkpoints() {
        synchronized (context.checkpoints) {
            return List.copyOf(context.checkpoints);
        }
    }

    /**
     * The checkpoints the handler stored, oldest first, read as {@code type}.
     *
     * @throws IllegalArgumentException when one does not bind to {@code type}
     */
    public <T> List<T> checkpoints(Class<T> type) {
        return checkpoints().stream().map(state -> {
            try {
                return JSON.mapper().treeToValue(state, type);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("a checkpoint does not bind to " + type.getName() + ": " + state, e);
            }
        }).toList();
    }

    /**
     * Waits until the handler stored at least {@code count} checkpoints in all.
     *
     * @throws AssertionError when it has not within {@code timeout}, or ended first
     */
    public void awaitCheckpoints(int count, Duration timeout) {
        awaitCount(context.checkpoints, context.checkpoints::size, count, timeout, "checkpoints");
    }

    /** What the handler wrote to {@link JobContext#output()} so far, decoded as UTF-8. */
    public String output() {
        return new String(outputBytes(), StandardCharsets.UTF_8);
    }

    /** What the handler wrote to {@link JobContext#output()} so far. */
    public byte[] outputBytes() {
        return context.output.bytes();
    }

    /**
     * Waits until the handler's output holds {@code text}.
     *
     * @throws AssertionError when it does not within {@code timeout}, or the handler ended without it
     */
    public void awaitOutput(String text, Duration timeout) {
        awaitCount(context.output, () -> output().contains(text) ? 1 : 0, 1, timeout, "outputs holding '" + text
                + "'");
    }

    /**
     * Waits until {@code seen}, read under {@code monitor} (which is notified at every change and at the end),
     * reaches {@code count}; {@code what} names the things counted.
     */
    private void awaitCount(Object monitor, IntSupplier seen, int count, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (monitor) {
            while (seen.getAsInt() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || ending.isDone()) {
                    throw new AssertionError("the handler of job '" + context.jobName + "' sent " + seen.getAsInt()
                            + " " + what + ", not " + count + ", " + (ending.isDone() ? "and ended" : "within "
                            + timeout));
                }
                try {
                    monitor.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for " + what, e);
                }
            }
        }
    }

    /** Stops the run if it still goes, with a grace of one second, as {@link #stop} does. */
    @Override
    public void close() {
        if (!ending.isDone()) {
            stop(Duration.ofSeconds(1));
        }
    }

    private JobRun begin() {
        thread.start();
        return this;
    }

    private void run(JobHandler handler) {
        long started = System.nanoTime();
        Throwable error = null;
        try {
            handler.run(context);
            error = context.data.refusal().map(AssertionError::new).orElse(null);
        } catch (Throwable e) {
            error = e;
        }
        boolean interrupted = Thread.currentThread().isInterrupted()
                || error instanceof InterruptedException;
        // as on a node that ends the job with this run: Completed or Failed, with the result the handler left
        Optional<JsonNode> result = context.data.result();
        ending.complete(new Ending(Optional.ofNullable(error), context.isCancelled(), interrupted,
                Duration.ofNanos(System.nanoTime() - started), result));
        synchronized (context.heartbeats) {
            context.heartbeats.notifyAll();
        }
        synchronized (context.checkpoints) {
            context.checkpoints.notifyAll();
        }
        synchronized (context.output) {
            context.output.notifyAll();
        }
    }

    private Optional<Ending> endingWithin(Duration timeout) {
        try {
            return Optional.of(ending.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the handler to end", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the test kit failed to record the run's end", e.getCause());
        }
    }

    /** Sets up the context of a run; every value has a default, so {@code JobRun.of(handler).start()} will do. */
    public static final class Builder {
        private final JobHandler handler;
        private UUID jobId = UUID.randomUUID();
        private String jobName = "test-job";
        private String argument = "";
        private String type = "default";
        private long epoch = 1;
        private String nodeName = "test-node";
        private UUID nodeId = UUID.randomUUID();
        private JsonNode params;
        private JsonNode lastCheckpoint;
        private OrchestratorClient manager;
        private String group;
        private Integer index;

        private Builder(JobHandler handler) {
            this.handler = handler;
        }

        /** The job's id; random by default. */
        public Builder jobId(UUID jobId) {
            this.jobId = Objects.requireNonNull(jobId, "jobId");
            return this;
        }

        /** The job's name; {@code test-job} by default. */
        public Builder jobName(String jobName) {
            this.jobName = Objects.requireNonNull(jobName, "jobName");
            return this;
        }

        /** The job's argument; empty by default. */
        public Builder argument(String argument) {
            this.argument = Objects.requireNonNull(argument, "argument");
            return this;
        }

        /** The job's type; {@code default} by default. */
        public Builder type(String type) {
            this.type = Objects.requireNonNull(type, "type");
            return this;
        }

        /** The grant's epoch; 1 by default. */
        public Builder epoch(long epoch) {
            if (epoch < 1) {
                throw new IllegalArgumentException("epoch must be at least 1, got " + epoch);
            }
            this.epoch = epoch;
            return this;
        }

        /** The node's name; {@code test-node} by default. */
        public Builder nodeName(String nodeName) {
            this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
            return this;
        }

        /** The node incarnation's id; random by default. */
        public Builder nodeId(UUID nodeId) {
            this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
            return this;
        }

        /**
         * The job's params, serialized with Jackson as the client's {@code NewJob.withParams} does, for the handler's
         * {@link JobContext#params}; none by default.
         */
        public Builder params(Object params) {
            this.params = WireCodec.orNull(JSON.mapper().valueToTree(params));
            return this;
        }

        /**
         * The job's last checkpoint, as a later run of a job finds the one an earlier run stored, serialized with
         * Jackson; none by default.
         */
        public Builder lastCheckpoint(Object state) {
            this.lastCheckpoint = WireCodec.orNull(JSON.mapper().valueToTree(state));
            return this;
        }

        /** The label of the job's fan-out, for {@link JobContext#group()}; none by default. */
        public Builder group(String group) {
            this.group = Objects.requireNonNull(group, "group");
            return this;
        }

        /** The job's place in its group, 0 or more, for {@link JobContext#index()}; none by default. */
        public Builder index(int index) {
            if (index < 0) {
                throw new IllegalArgumentException("index must be 0 or more, got " + index);
            }
            this.index = index;
            return this;
        }

        /**
         * The client of the manager that {@link JobContext#jobs()} gives the handler (a controller's), e.g.
         * {@code OrchestratorClient.create(URI.create("http://localhost:8080"))} or a fake of the interface; none by
         * default, and then {@code jobs()} throws as on a node without a manager URL.
         */
        public Builder manager(OrchestratorClient manager) {
            this.manager = Objects.requireNonNull(manager, "manager");
            return this;
        }

        /** Starts the handler on a virtual thread of its own and returns at once. */
        public JobRun start() {
            List<JsonNode> checkpoints = new ArrayList<>();
            RunData data = new RunData("job '" + jobName + "' (" + jobId + ")", params, lastCheckpoint, state -> {
                synchronized (checkpoints) {
                    checkpoints.add(state);
                    checkpoints.notifyAll();
                }
            }, Clock.systemUTC());
            return new JobRun(new Context(jobId, jobName, argument, type, epoch, nodeName, nodeId,
                    new Fanout(group, index), data, checkpoints, manager), handler).begin();
        }

        /**
         * Runs the handler until it ends by itself, for a handler that is meant to return (a finite job).
         *
         * @throws AssertionError when it has not ended within {@code timeout} (it is then stopped)
         */
        public Ending runToEnd(Duration timeout) {
            try (JobRun run = start()) {
                return run.awaitEnd(timeout);
            }
        }
    }

    private static final WireCodec JSON = new WireCodec();

    /** A run's place in its fan-out: both null outside one. */
    private record Fanout(String group, Integer index) {
    }

    private static final class Context implements JobContext {
        private final UUID jobId;
        private final String jobName;
        private final String argument;
        private final String type;
        private final long epoch;
        private final String nodeName;
        private final UUID nodeId;
        private final Fanout fanout;
        private final CountDownLatch cancelled = new CountDownLatch(1);
        private final AtomicInteger heartbeats = new AtomicInteger();
        private final AtomicReference<Instant> lastHeartbeat = new AtomicReference<>();
        private final RunData data;
        /** Guarded by itself, which its waiters wait on. */
        private final List<JsonNode> checkpoints;
        /** Guarded by itself, which its waiters wait on. */
        private final FileOutput output = new FileOutput();
        /** Null when the test gave none. */
        private final OrchestratorClient manager;

        Context(UUID jobId, String jobName, String argument, String type, long epoch, String nodeName, UUID nodeId,
                Fanout fanout, RunData data, List<JsonNode> checkpoints, OrchestratorClient manager) {
            this.fanout = fanout;
            this.manager = manager;
            this.data = data;
            this.checkpoints = checkpoints;
            this.jobId = jobId;
            this.jobName = jobName;
            this.argument = argument;
            this.type = type;
            this.epoch = epoch;
            this.nodeName = nodeName;
            this.nodeId = nodeId;
        }

        @Override
        public UUID jobId() {
            return jobId;
        }

        @Override
        public String jobName() {
            return jobName;
        }

        @Override
        public String argument() {
            return argument;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public Optional<String> group() {
            return Optional.ofNullable(fanout.group());
        }

        @Override
        public OptionalInt index() {
            return fanout.index() == null ? OptionalInt.empty() : OptionalInt.of(fanout.index());
        }

        @Override
        public long epoch() {
            return epoch;
        }

        @Override
        public String nodeName() {
            return nodeName;
        }

        @Override
        public UUID nodeId() {
            return nodeId;
        }

        @Override
        public boolean isCancelled() {
            return cancelled.getCount() == 0;
        }

        @Override
        public boolean awaitCancellation(Duration timeout) {
            try {
                return cancelled.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }

        @Override
        public void heartbeat() {
            lastHeartbeat.set(Instant.now());
            synchronized (heartbeats) {
                heartbeats.incrementAndGet();
                heartbeats.notifyAll();
            }
        }

        @Override
        public <T> T params(Class<T> type) {
            return data.params(type);
        }

        @Override
        public void result(Object value) {
            data.result(value);
        }

        @Override
        public void progress(long done, long total, String message) {
            data.progress(done, total, message);
        }

        @Override
        public void checkpoint(Object state) {
            data.checkpoint(state);
        }

        @Override
        public <T> Optional<T> lastCheckpoint(Class<T> type) {
            return data.lastCheckpoint(type);
        }

        @Override
        public OrchestratorClient jobs() {
            if (manager == null) {
                throw new IllegalStateException("job '" + jobName + "' has no client of the manager in this test:"
                        + " give one with JobRun.of(handler).manager(client)");
            }
            return manager;
        }

        @Override
        public JobOutput output() {
            return output;
        }
    }

    /** A run's output in a temporary file of its own, removed when the JVM exits. */
    private static final class FileOutput implements JobOutput {
        private final Path file;

        FileOutput() {
            try {
                file = Files.createTempFile("orchestr-testkit-output-", ".log");
            } catch (IOException e) {
                throw new UncheckedIOException("could not create a temporary file for the run's output", e);
            }
            file.toFile().deleteOnExit();
        }

        @Override
        public void write(byte[] data, int offset, int length) {
            synchronized (this) {
                try {
                    Files.write(file, Arrays.copyOfRange(data, offset, offset + length), StandardOpenOption.APPEND);
                } catch (IOException e) {
                    // as on a node, output never fails the run; the test sees what was written
                }
                notifyAll();
            }
        }

        synchronized byte[] bytes() {
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UncheckedIOException("could not read the run's output from " + file, e);
            }
        }

        @Override
        public Path file() {
            return file;
        }
    }
}
