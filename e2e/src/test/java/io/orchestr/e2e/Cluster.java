package io.orchestr.e2e;

import io.orchestr.client.OrchestratorClient;
import io.orchestr.e2e.harness.AdminToken;
import io.orchestr.e2e.harness.BrokerCluster;
import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.e2e.harness.TickLog;
import io.orchestr.testing.TestServices;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One test class's Orchestr system: its own database and broker prefix, a manager and any number of nodes,
 * each a separate JVM started through {@code deploy/}. Logs land in {@code e2e/target/e2e-logs/<label>/}.
 */
final class Cluster implements AutoCloseable {
    static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /** The checkouts whose deploy/ scripts start the manager and the nodes: one may be an older build. */
    private static final Path MANAGER_ROOT = root("orchestr.manager-root");
    private static final Path NODE_ROOT = root("orchestr.node-root");

    private final String label;
    private final TestServices.Database database;
    private final TestServices.Broker broker;
    private Map<String, String> managerSettings;
    private final String prefix;
    private final Path logs;
    private final Path ticks;
    private final List<OrchestrProcess> processes = new ArrayList<>();
    private OrchestrProcess manager;
    private int restarts;
    /** A broker node started for this cluster alone, stopped with it. */
    private OwnBroker ownBroker;
    /** Broker settings every process gets beyond host, port and user (a broker cluster's addresses, say). */
    private Map<String, String> brokerSettings = Map.of();

    private Cluster(String label, TestServices.Database database, TestServices.Broker broker,
                    Map<String, String> managerSettings) {
        this.label = label;
        this.database = database;
        this.broker = broker;
        this.managerSettings = Map.copyOf(managerSettings);
        this.prefix = TestServices.get().newPrefix(label);
        this.logs = Path.of(System.getProperty("orchestr.e2e.logs", "target/e2e-logs")).resolve(label + "-" + prefix);
        this.ticks = logs.resolve("ticks");
        try {
            Files.createDirectories(ticks);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A cluster with a running manager and no nodes yet. */
    static Cluster withManager(String label) {
        return withManager(label, TestServices.get().newDatabase(label));
    }

    /** A cluster on {@code database} with a running manager and no nodes yet. */
    static Cluster withManager(String label, TestServices.Database database) {
        return withManager(label, database, TestServices.get().broker(), Map.of());
    }

    /**
     * A cluster on {@code database} and {@code broker} with a running manager and no nodes yet; every manager
     * gets {@code managerSettings} as extra environment (e.g. {@code ORCHESTR_RESYNC_INTERVAL}).
     */
    static Cluster withManager(String label, TestServices.Database database, TestServices.Broker broker,
                               Map<String, String> managerSettings) {
        Cluster cluster = new Cluster(label, database, broker, managerSettings);
        cluster.startManager();
        return cluster;
    }

    /**
     * A cluster on a database of its own with a running manager, started only once {@code prepare} ran with the
     * cluster's prefix (to create broker users for its names, say); the manager gets the environment {@code
     * prepare} returns.
     */
    static Cluster withManagerAfter(String label, Function<String, Map<String, String>> prepare) {
        Cluster cluster = new Cluster(label, TestServices.get().newDatabase(label), TestServices.get().broker(),
                Map.of());
        Map<String, String> settings = prepare.apply(cluster.prefix);
        cluster.managerSettings = Map.copyOf(settings);
        cluster.startManager();
        return cluster;
    }

    /** Starts the manager; on a failure closes what the cluster started (its own brokers too) and rethrows. */
    private Cluster withManagerOrClosed() {
        try {
            startManager();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    /**
     * A cluster on a database of its own and on {@code broker}, a broker node the test started for it, with a
     * running manager and no nodes yet; {@link #close()} stops the broker node after the processes.
     */
    static Cluster onOwnBroker(String label, OwnBroker broker, Map<String, String> managerSettings) {
        Cluster cluster = new Cluster(label, TestServices.get().newDatabase(label), broker.broker(), managerSettings);
        cluster.ownBroker = broker;
        return cluster.withManagerOrClosed();
    }

    /**
     * A cluster on a database of its own and on {@code brokers}, a RabbitMQ cluster the test started (and stops),
     * with a running manager and no nodes yet: every manager and node gets the cluster's {@code
     * ORCHESTR_RABBITMQ_ADDRESSES} and quorum queues ({@code ORCHESTR_QUEUE_TYPE=quorum}).
     */
    static Cluster onBrokerCluster(String label, BrokerCluster brokers) {
        Cluster cluster = new Cluster(label, TestServices.get().newDatabase(label),
                new TestServices.Broker("127.0.0.1", brokers.port(1), "guest", "guest"), Map.of());
        cluster.brokerSettings = Map.of("ORCHESTR_RABBITMQ_ADDRESSES", brokers.addresses(),
                "ORCHESTR_QUEUE_TYPE", "quorum");
        return cluster.withManagerOrClosed();
    }

    /**
     * A cluster on {@code database} whose manager is started with {@code managerSettings}, which win over the
     * cluster's own (a broker or database port where nothing listens yet, say), and not waited for: the test
     * awaits its readiness ({@code manager().awaitReady}).
     */
    static Cluster withManagerStarting(String label, TestServices.Database database,
                                       Map<String, String> managerSettings) {
        Cluster cluster = new Cluster(label, database, TestServices.get().broker(), managerSettings);
        cluster.manager = cluster.managerProcess("manager", OrchestrProcess.freePort(), Map.of());
        cluster.restarts++;
        return cluster;
    }

    /** Starts the manager, or restarts it on the same port after it stopped; it serves {@link #client()}. */
    OrchestrProcess startManager() {
        String name = restarts++ == 0 ? "manager" : "manager-" + restarts;
        int port = manager == null ? OrchestrProcess.freePort() : manager.httpPort();
        manager = launchManager(name, port);
        return manager;
    }

    /** Starts one more manager on the same database and broker, on a port of its own. */
    OrchestrProcess addManager(String name) {
        return launchManager(name, OrchestrProcess.freePort());
    }

    private OrchestrProcess launchManager(String name, int port) {
        return managerProcess(name, port, Map.of()).awaitReady(START_TIMEOUT);
    }

    /**
     * Starts one more manager on a port of its own with {@code settings} added to its environment (they win), and
     * does not wait for it to be ready: for a manager expected never to be.
     */
    OrchestrProcess launchManagerWith(String name, Map<String, String> settings) {
        return managerProcess(name, OrchestrProcess.freePort(), settings);
    }

    /** Starts a manager with the cluster's settings and {@code settings}, without waiting for it to be ready. */
    private OrchestrProcess managerProcess(String name, int port, Map<String, String> settings) {
        Map<String, String> env = brokerEnv();
        env.put("ORCHESTR_DB_URL", database.jdbcUrl());
        env.put("ORCHESTR_DB_USER", database.user());
        env.put("ORCHESTR_DB_PASSWORD", database.password());
        // rebalancing (on by default) moves jobs between a test's nodes on purpose: off unless a test turns it on,
        // so that the other tests see only the moves they cause
        env.put("ORCHESTR_REBALANCE_MAX_MOVES_PER_MINUTE", "0");
        env.putAll(managerSettings);
        env.putAll(settings);
        return track(OrchestrProcess.start(MANAGER_ROOT, name, "manager.sh", List.of(), env, port, logs));
    }

    /**
     * Starts a node with the demo handlers, writing only in this cluster's tick folder ({@link #demoDir()}), with
     * the manager's URL for its controllers, and waits until it is connected and consuming.
     */
    OrchestrProcess startNode(String name, int slots) {
        return startNode(name, slots, brokerEnv());
    }

    /** {@link #startNode(String, int)} of a node that serves {@code pools} (a comma list) instead of the default. */
    OrchestrProcess startNodeServing(String name, int slots, String pools) {
        return startNode(name, slots, pools, brokerEnv());
    }

    /** Starts a node that reaches the broker through a proxy on this machine's {@code proxyPort}. */
    OrchestrProcess startNodeVia(String name, int slots, int proxyPort) {
        Map<String, String> env = brokerEnv();
        env.put("ORCHESTR_RABBITMQ_HOST", "127.0.0.1");
        env.put("ORCHESTR_RABBITMQ_PORT", Integer.toString(proxyPort));
        return startNode(name, slots, env);
    }

    /**
     * {@link #startNodeServing} of a node that also runs {@code exec} jobs ({@code ORCHESTR_NODE_EXEC=true}), its
     * commands in {@link #execDir()}.
     */
    OrchestrProcess startExecNode(String name, int slots, String pools) {
        return startExecNode(name, slots, pools, "");
    }

    /** {@link #startExecNode(String, int, String)} of a node that serves only {@code roles} (a comma list). */
    OrchestrProcess startExecNode(String name, int slots, String pools, String roles) {
        Map<String, String> env = brokerEnv();
        env.put("ORCHESTR_NODE_EXEC", "true");
        env.put("ORCHESTR_NODE_ROLES", roles);
        try {
            env.put("ORCHESTR_NODE_EXEC_DIR", Files.createDirectories(execDir()).toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return startNode(name, slots, pools, env);
    }

    /**
     * {@link #startNode(String, int)} of a node that runs only the demo types {@code types} (a comma list, its
     * {@code ORCHESTR_NODE_TYPES}): a node of one version in a rolling upgrade.
     */
    OrchestrProcess startNodeRunning(String name, int slots, String types) {
        Map<String, String> env = brokerEnv();
        env.put("ORCHESTR_NODE_TYPES", types);
        return startNode(name, slots, env);
    }

    /**
     * Starts a node told to find the broker at this machine's {@code brokerPort}, where nothing may listen yet, and
     * does not wait for it: the test awaits its readiness.
     */
    OrchestrProcess launchNodeFindingBrokerAt(String name, int slots, int brokerPort) {
        Map<String, String> env = brokerEnv();
        env.put("ORCHESTR_RABBITMQ_HOST", "127.0.0.1");
        env.put("ORCHESTR_RABBITMQ_PORT", Integer.toString(brokerPort));
        return nodeProcess(name, slots, "default", env);
    }

    private OrchestrProcess startNode(String name, int slots, Map<String, String> env) {
        return startNode(name, slots, "default", env);
    }

    private OrchestrProcess startNode(String name, int slots, String pools, Map<String, String> env) {
        return nodeProcess(name, slots, pools, env).awaitReady(START_TIMEOUT);
    }

    /**
     * Starts a one-slot node with {@code settings} added to its environment (they win), and does not wait for it
     * to be ready: for a node expected never to be.
     */
    OrchestrProcess launchNodeWith(String name, Map<String, String> settings) {
        Map<String, String> env = brokerEnv();
        env.putAll(settings);
        return nodeProcess(name, 1, "default", env);
    }

    /** Starts a node, without waiting for it to be ready. */
    private OrchestrProcess nodeProcess(String name, int slots, String pools, Map<String, String> env) {
        env.put("ORCHESTR_NODE_DEMO", "true");
        // the demo handlers write only in their directory: the tick files of tickArgument are there
        env.put("ORCHESTR_NODE_DEMO_DIR", ticks.toAbsolutePath().toString());
        env.put("ORCHESTR_NODE_OUTPUT_DIR", outputDir().toString());
        // for controllers (the pipeline type); a restarted manager keeps its port
        env.put("ORCHESTR_NODE_MANAGER_URL", "http://127.0.0.1:" + manager.httpPort());
        int port = OrchestrProcess.freePort();
        return track(OrchestrProcess.start(NODE_ROOT, name, "node.sh",
                List.of(name, Integer.toString(slots), pools, Integer.toString(port)), env, port, logs));
    }

    /**
     * Runs {@code command} in {@code directory} with this cluster's broker settings ({@code ORCHESTR_RABBITMQ_*},
     * {@code ORCHESTR_PREFIX}) and {@code env} in its environment, and HTTP port {@code httpPort}; stopped with
     * the cluster at the latest. Does not wait for it to be ready.
     */
    OrchestrProcess run(String name, List<String> command, Path directory, int httpPort, Map<String, String> env) {
        Map<String, String> environment = brokerEnv();
        environment.putAll(env);
        return track(OrchestrProcess.run(name, command, directory, environment, httpPort, logs));
    }

    /** The java command of the JVM running the tests, for processes that run a jar. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The checkout whose deploy/ scripts start the nodes. */
    static Path nodeRoot() {
        return NODE_ROOT;
    }

    private static Path root(String property) {
        return Path.of(System.getProperty(property, "..")).toAbsolutePath().normalize();
    }

    OrchestrProcess manager() {
        return manager;
    }

    OrchestratorClient client() {
        return clientOf(manager);
    }

    static OrchestratorClient clientOf(OrchestrProcess manager) {
        return OrchestratorClient.create(URI.create("http://127.0.0.1:" + manager.httpPort()),
                AdminToken.get().token());
    }

    String prefix() {
        return prefix;
    }

    /** Where this cluster's process logs go. */
    Path logs() {
        return logs;
    }

    TestServices.Database database() {
        return database;
    }

    /** The manager's count of runs of one job that overlapped on its record ({@code OverlapCheck}). */
    double runOverlapsCounted() {
        try {
            HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + manager.httpPort() + "/q/metrics")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return metrics.body().lines().filter(line -> line.startsWith("orchestr_run_overlaps_total"))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no orchestr_run_overlaps_total in the metrics"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The one folder the demo handlers of this cluster's nodes may write in (their ORCHESTR_NODE_DEMO_DIR). */
    Path demoDir() {
        return ticks.toAbsolutePath();
    }

    /** The folder of the runs' output files of this cluster's nodes (their ORCHESTR_NODE_OUTPUT_DIR). */
    Path outputDir() {
        return ticks.resolveSibling("output").toAbsolutePath();
    }

    /** Where the commands of this cluster's exec nodes run (their ORCHESTR_NODE_EXEC_DIR). */
    Path execDir() {
        return ticks.resolveSibling("exec").toAbsolutePath();
    }

    /** The tick log a demo job writes when its argument is {@link #tickArgument}. */
    TickLog tickLog(String jobName) {
        return new TickLog(ticks.resolve(jobName + ".log"));
    }

    /** The argument that makes a demo ticker job log every tick of {@code jobName}. */
    String tickArgument(String jobName) {
        return tickArgument(jobName, 100);
    }

    /** The argument that makes a demo ticker job log a tick of {@code jobName} every {@code tickMillis}. */
    String tickArgument(String jobName, int tickMillis) {
        return "file=" + ticks.resolve(jobName + ".log") + ";tickMillis=" + tickMillis;
    }

    /**
     * The broker settings of this cluster (with its own broker's TLS settings, if any), and its admin token
     * (managers, controllers, the CLI, examples).
     */
    private Map<String, String> brokerEnv() {
        Map<String, String> env = OrchestrProcess.brokerEnvironment(broker.host(), broker.port(), broker.user(),
                broker.password(), prefix);
        env.putAll(AdminToken.get().environment());
        env.putAll(brokerSettings);
        if (ownBroker != null) {
            env.putAll(ownBroker.clientEnvironment());
        }
        return env;
    }

    private OrchestrProcess track(OrchestrProcess process) {
        processes.add(process);
        return process;
    }

    @Override
    public void close() {
        processes.reversed().forEach(OrchestrProcess::close);
        if (ownBroker != null) {
            ownBroker.close();
        }
    }

    @Override
    public String toString() {
        return "cluster " + label + " (prefix " + prefix + ", logs " + logs + ")";
    }
}
