package io.orchestr.node;

import io.orchestr.client.OrchestratorClient;
import io.orchestr.node.core.Engine;

import io.orchestr.shared.Limits;
import io.orchestr.shared.Names;
import io.orchestr.shared.topology.QueueType;
import io.orchestr.shared.topology.Topology;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Configures an {@link OrchestratedServer}. Every setter checks its value at once and throws
 * {@link IllegalArgumentException} naming the setting; {@link #build()} checks how settings fit together.
 * Not thread-safe: configure on one thread.
 */
public final class OrchestratedServerBuilder {
    /** The handler type of {@link #handler(JobHandler)}, and of jobs created without a type. */
    public static final String DEFAULT_TYPE = Names.DEFAULT_TYPE;
    public static final int DEFAULT_SLOTS = 10;
    /** The broker's prefetch count is an unsigned short. */
    public static final int MAX_SLOTS = 65_535;
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    /**
     * The latest fence that still fits under the default {@value RabbitMqOptions#DEFAULT_HEARTBEAT_SECONDS} s
     * connection heartbeat: two heartbeats less 600 ms.
     */
    public static final Duration DEFAULT_FENCE_TIMEOUT = Duration.ofMillis(1_400);
    public static final Duration DEFAULT_CANCEL_GRACE = Duration.ofSeconds(10);
    public static final Duration DEFAULT_FULL_REPORT_PERIOD = Duration.ofSeconds(30);
    public static final Duration DEFAULT_CHECKPOINT_TIMEOUT = Duration.ofSeconds(10);
    /** The folder of the runs' output files: {@code orchestr-output} in {@code java.io.tmpdir}. */
    public static final Path DEFAULT_OUTPUT_DIR = Path.of(System.getProperty("java.io.tmpdir"), "orchestr-output");
    public static final int DEFAULT_OUTPUT_RUNS_KEPT = 1_000;
    public static final long DEFAULT_OUTPUT_BYTES_KEPT = 1024L * 1024 * 1024;

    private String name;
    private int slots = DEFAULT_SLOTS;
    private RabbitMqOptions rabbitMq;
    private final Map<String, JobHandler> handlers = new HashMap<>();
    private List<String> pools = List.of(Names.DEFAULT_POOL);
    private Set<String> roles = Set.of();
    private String prefix = Topology.DEFAULT_PREFIX;
    private QueueType queueType = QueueType.CLASSIC;
    private final List<NodeListener> listeners = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
    private Duration fenceTimeout = DEFAULT_FENCE_TIMEOUT;
    private Duration cancelGrace = DEFAULT_CANCEL_GRACE;
    private Duration fullReportPeriod = DEFAULT_FULL_REPORT_PERIOD;
    private RestartPolicy restartPolicy = RestartPolicy.defaults();
    private Duration checkpointTimeout = DEFAULT_CHECKPOINT_TIMEOUT;
    private Path outputDir = DEFAULT_OUTPUT_DIR;
    private int outputRunsKept = DEFAULT_OUTPUT_RUNS_KEPT;
    private long outputBytesKept = DEFAULT_OUTPUT_BYTES_KEPT;
    private URI managerUrl;
    private String managerToken = System.getenv("ORCHESTR_TOKEN");

    OrchestratedServerBuilder() {
    }

    /**
     * The node's name, shown by the manager; need not be unique. Required: 1 to {@value Limits#NODE_NAME}
     * characters, not blank, without control or format characters.
     */
    public OrchestratedServerBuilder name(String name) {
        if (name == null || name.isBlank() || name.length() > Limits.NODE_NAME) {
            throw new IllegalArgumentException("name must be 1 to " + Limits.NODE_NAME + " characters, not blank, got '"
                    + name + "'");
        }
        if (Names.hasControlOrFormat(name)) {
            throw new IllegalArgumentException(
                    "name must not hold control or format characters (CR, LF, NUL, bidi overrides, zero-width...)");
        }
        this.name = name;
        return this;
    }

    /** How many jobs the node holds at once, {@value #DEFAULT_SLOTS} by default. */
    public OrchestratedServerBuilder maxWorkers(int slots) {
        if (slots < 1 || slots > MAX_SLOTS) {
            throw new IllegalArgumentException("maxWorkers must be 1 to " + MAX_SLOTS + ", got " + slots);
        }
        this.slots = slots;
        return this;
    }

    /** The broker to connect to. Required. */
    public OrchestratedServerBuilder rabbitMq(RabbitMqOptions options) {
        this.rabbitMq = required("rabbitMq", options);
        return this;
    }

    /** The handler of type {@value #DEFAULT_TYPE}. */
    public OrchestratedServerBuilder handler(JobHandler handler) {
        return handler(DEFAULT_TYPE, handler);
    }

    /**
     * The handler of jobs of {@code type} ({@value Names#TYPE_RULE}). At least one handler is required; each type
     * once.
     */
    public OrchestratedServerBuilder handler(String type, JobHandler handler) {
        if (!Names.isValidType(type)) {
            throw new IllegalArgumentException("handler type must be " + Names.TYPE_RULE + ", got '" + type + "'");
        }
        required("handler of type " + type, handler);
        if (handlers.putIfAbsent(type, handler) != null) {
            throw new IllegalArgumentException("a handler of type '" + type + "' is already set");
        }
        return this;
    }

    /** The pools whose job queues the node consumes, {@code default} by default. */
    public OrchestratedServerBuilder pools(String... pools) {
        if (pools == null || pools.length == 0) {
            throw new IllegalArgumentException("pools must name at least one pool");
        }
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (String pool : pools) {
            if (!Names.isValidPool(pool)) {
                throw new IllegalArgumentException("invalid pool '" + pool + "': use " + Names.POOL_RULE);
            }
            if (!unique.add(pool)) {
                throw new IllegalArgumentException("pool '" + pool + "' is named twice");
            }
        }
        this.pools = List.copyOf(unique);
        return this;
    }

    /**
     * The roles of {@code exec} work this node serves (a job's steps that name a role run only on a node that
     * serves it); none, the default, serves every role. Meaningful only with a handler of type
     * {@value Names#EXEC_TYPE}.
     */
    public OrchestratedServerBuilder roles(Set<String> roles) {
        for (String role : required("roles", roles)) {
            if (!Names.isValidRole(role)) {
                throw new IllegalArgumentException("invalid role '" + role + "': use " + Names.ROLE_RULE);
            }
        }
        this.roles = Set.copyOf(roles);
        return this;
    }

    /** The first part of every queue and exchange name, {@value Topology#DEFAULT_PREFIX} by default. */
    public OrchestratedServerBuilder prefix(String prefix) {
        new Topology(prefix, queueType); // throws IllegalArgumentException naming the prefix rule
        this.prefix = prefix;
        return this;
    }

    /**
     * The kind of the durable queues, classic by default; must match what the manager declares (quorum for
     * broker clusters).
     */
    public OrchestratedServerBuilder queueType(QueueType queueType) {
        this.queueType = required("queueType", queueType);
        return this;
    }

    /**
     * Adds a listener of node events; see {@link NodeListener} for its threading rules. May be called more than
     * once: every listener hears every event, in the order they were added, and one that throws does not keep the
     * event from the others.
     */
    public OrchestratedServerBuilder listener(NodeListener listener) {
        listeners.add(required("listener", listener));
        return this;
    }

    /** The clock behind snapshots, heartbeats and the fence; the system clock (UTC) by default. */
    public OrchestratedServerBuilder clock(Clock clock) {
        this.clock = required("clock", clock);
        return this;
    }

    /** How often the node sends a snapshot to the managers, 1 s by default. */
    public OrchestratedServerBuilder heartbeatInterval(Duration interval) {
        this.heartbeatInterval = positive("heartbeatInterval", interval);
        return this;
    }

    /**
     * How long the node keeps running jobs without a round trip to the broker confirmed, 1.4 s by default. Must be
     * at least 1 s (the lease is proved every 200 ms, so a shorter fence would fire whenever the machine or the
     * broker is slow for a moment), and at most two broker connection heartbeats less 600 ms: after two to three
     * heartbeats of silence the broker gives the node up and requeues its jobs.
     */
    public OrchestratedServerBuilder fenceTimeout(Duration timeout) {
        this.fenceTimeout = positive("fenceTimeout", timeout);
        return this;
    }

    /**
     * How long a handler asked to stop (cancel, node closing) may take to return before its thread is
     * interrupted, 10 s by default; zero interrupts at once.
     */
    public OrchestratedServerBuilder cancelGrace(Duration grace) {
        if (required("cancelGrace", grace).isNegative()) {
            throw new IllegalArgumentException("cancelGrace must not be negative, got " + grace);
        }
        this.cancelGrace = grace;
        return this;
    }

    /**
     * How often a snapshot lists every job the node holds, 30 s by default; the snapshots in between list only
     * the jobs with news. It bounds how long the managers' view of the node's jobs may stay wrong after a snapshot
     * was lost.
     */
    public OrchestratedServerBuilder fullReportPeriod(Duration period) {
        this.fullReportPeriod = positive("fullReportPeriod", period);
        return this;
    }

    /**
     * How long {@link JobContext#checkpoint} waits for the managers to answer that they stored a checkpoint, 10 s
     * by default: a call that waited this long throws, and a handler learns that its state may not be durable.
     */
    public OrchestratedServerBuilder checkpointTimeout(Duration timeout) {
        this.checkpointTimeout = positive("checkpointTimeout", timeout);
        return this;
    }

    /**
     * The folder where the node writes each run's output ({@link JobContext#output()}), one file per job and epoch
     * ({@code <dir>/<jobId>/<epoch>.log}), created when the first run writes; {@link #DEFAULT_OUTPUT_DIR} by default.
     * Nodes may share a folder: a grant's epoch names one run in the whole cluster.
     */
    public OrchestratedServerBuilder outputDir(Path dir) {
        this.outputDir = required("outputDir", dir).toAbsolutePath();
        return this;
    }

    /**
     * How much of ended runs' output the node keeps: the files of at most {@code runs} runs
     * ({@value #DEFAULT_OUTPUT_RUNS_KEPT} by default) and {@code bytes} in all (1 GiB by default), the least recently
     * written removed first whenever a run creates its file. One run's file stops growing at an eighth of
     * {@code bytes} (128 MiB by default): the rest of that run's output is dropped.
     */
    public OrchestratedServerBuilder outputRetention(int runs, long bytes) {
        if (runs < 1) {
            throw new IllegalArgumentException("outputRetention runs must be at least 1, got " + runs);
        }
        if (bytes < 1024) {
            throw new IllegalArgumentException("outputRetention bytes must be at least 1024, got " + bytes);
        }
        this.outputRunsKept = runs;
        this.outputBytesKept = bytes;
        return this;
    }

    /**
     * The manager's base URL (e.g. {@code http://manager:8080}), for the client {@link JobContext#jobs()} gives
     * handlers that create and watch jobs (controllers); none by default, and then {@code jobs()} throws. An
     * {@code http} or {@code https} URL.
     */
    public OrchestratedServerBuilder managerUrl(URI url) {
        required("managerUrl", url);
        if (!url.isAbsolute() || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
                || url.getHost() == null) {
            throw new IllegalArgumentException("managerUrl must be an http or https URL such as"
                    + " http://manager:8080, got " + url);
        }
        this.managerUrl = url;
        return this;
    }

    /**
     * The bearer token {@link JobContext#jobs()} sends to the manager at {@link #managerUrl}: one of the manager's
     * tokens with the {@code operator} role, which controllers need to create and steer jobs. By default the
     * environment variable {@code ORCHESTR_TOKEN}; it never reaches a job's handler or command otherwise.
     */
    public OrchestratedServerBuilder managerToken(String token) {
        required("managerToken", token);
        this.managerToken = token;
        return this;
    }

    /** What happens when a handler ends; {@link RestartPolicy#defaults()} by default. */
    public OrchestratedServerBuilder restartPolicy(RestartPolicy policy) {
        this.restartPolicy = required("restartPolicy", policy);
        return this;
    }

    /** Checks that the settings fit together and builds a node, not started yet. */
    public OrchestratedServer build() {
        if (name == null) {
            throw new IllegalArgumentException("name is required");
        }
        if (rabbitMq == null) {
            throw new IllegalArgumentException("rabbitMq is required");
        }
        if (handlers.isEmpty()) {
            throw new IllegalArgumentException("at least one handler is required");
        }
        if (fenceTimeout.compareTo(Engine.SHORTEST_FENCE) < 0) {
            throw new IllegalArgumentException("fenceTimeout " + fenceTimeout + " must be at least "
                    + Engine.SHORTEST_FENCE + ": a shorter fence fires whenever the machine or the broker is slow for"
                    + " a moment");
        }
        if (fenceTimeout.compareTo(Engine.latestSafeFence(rabbitMq.heartbeat())) > 0) {
            throw new IllegalArgumentException("fenceTimeout " + fenceTimeout + " must be at most "
                    + Engine.latestSafeFence(rabbitMq.heartbeat()) + ", two RabbitMQ connection heartbeats ("
                    + rabbitMq.heartbeat() + ") less 600 ms: the node must stop its jobs before the broker requeues"
                    + " them");
        }
        OrchestratorClient manager = managerUrl == null ? null : OrchestratorClient.create(managerUrl, managerToken);
        NodeSettings settings = new NodeSettings(name, slots, pools, rabbitMq, new Topology(prefix, queueType),
                handlers, roles, listeners, clock, heartbeatInterval, fenceTimeout, cancelGrace, fullReportPeriod,
                restartPolicy, checkpointTimeout, outputDir, outputRunsKept, outputBytesKept, manager);
        int queues = settings.jobQueues().size();
        if (slots < queues) {
            throw new IllegalArgumentException("maxWorkers " + slots + " is less than the " + queues + " job queues"
                    + " it consumes (per pool, the job queue and, with an exec handler, the exec queue): every queue"
                    + " needs a slot");
        }
        return new OrchestratedServer(settings);
    }

    private static Duration positive(String setting, Duration value) {
        if (required(setting, value).isNegative() || value.isZero()) {
            throw new IllegalArgumentException(setting + " must be above zero, got " + value);
        }
        return value;
    }

    private static <T> T required(String setting, T value) {
        if (value == null) {
            throw new IllegalArgumentException(setting + " must not be null");
        }
        return value;
    }
}
