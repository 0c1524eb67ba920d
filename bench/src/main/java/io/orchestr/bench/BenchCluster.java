package io.orchestr.bench;

import io.orchestr.client.OrchestratorClient;
import io.orchestr.e2e.harness.AdminToken;
import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.e2e.harness.TickLog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

/**
 * One scenario's Orchestr system on this machine: a database and a broker prefix of its own, a manager and
 * nodes, each a separate JVM started through {@code deploy/}. Closing it (or the JVM exiting, Ctrl-C included)
 * kills every process it started and deletes its database and broker queues. Logs and tick files land in
 * {@code <logs>/<label>-<prefix>/}.
 */
final class BenchCluster implements AutoCloseable {
    static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private final BenchContext bench;
    private final String prefix;
    private final BenchDatabase database;
    private final Path logs;
    private final Path ticks;
    private final List<OrchestrProcess> processes = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Thread shutdownHook = new Thread(this::stop, "bench-cluster-cleanup");
    private OrchestrProcess manager;
    /** Broker settings every process gets beyond the local broker's (a broker cluster's addresses, say). */
    private Map<String, String> brokerSettings = Map.of();

    private BenchCluster(BenchContext bench, String label) {
        this.bench = bench;
        String id = UUID.randomUUID().toString().substring(0, 8);
        this.prefix = "orchestr-bench-" + label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "") + "-" + id;
        this.logs = bench.logs().resolve(label + "-" + prefix);
        this.ticks = logs.resolve("ticks");
        try {
            Files.createDirectories(ticks);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.database = BenchDatabase.create(bench.services().database());
    }

    /** A new cluster with its manager started and ready, and no nodes yet. */
    static BenchCluster withManager(BenchContext bench, String label) {
        return withManager(bench, label, Map.of());
    }

    /** As {@link #withManager(BenchContext, String)}, the manager started with {@code managerEnv} as well. */
    static BenchCluster withManager(BenchContext bench, String label, Map<String, String> managerEnv) {
        return start(bench, label, Map.of(), managerEnv);
    }

    /**
     * A new cluster whose manager and nodes all get {@code brokerSettings} (e.g. {@code
     * ORCHESTR_RABBITMQ_ADDRESSES} of a broker cluster and {@code ORCHESTR_QUEUE_TYPE}), with its manager started
     * and ready, and no nodes yet.
     */
    static BenchCluster onBrokers(BenchContext bench, String label, Map<String, String> brokerSettings) {
        return start(bench, label, brokerSettings, Map.of());
    }

    private static BenchCluster start(BenchContext bench, String label, Map<String, String> brokerSettings,
                                      Map<String, String> managerEnv) {
        BenchCluster cluster = new BenchCluster(bench, label);
        cluster.brokerSettings = Map.copyOf(brokerSettings);
        Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
        try {
            cluster.startManager(managerEnv);
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void startManager(Map<String, String> managerEnv) {
        Map<String, String> env = brokerEnv();
        env.putAll(managerEnv);
        env.put("ORCHESTR_DB_URL", database.jdbcUrl());
        env.put("ORCHESTR_DB_USER", database.server().user());
        env.put("ORCHESTR_DB_PASSWORD", database.server().password());
        bench.progress("starting the manager (prefix %s, database %s, logs %s)", prefix, database.name(), logs);
        manager = track(OrchestrProcess.start(bench.root(), "manager", "manager.sh", List.of(), env,
                OrchestrProcess.freePort(), logs)).awaitReady(START_TIMEOUT);
    }

    /** Starts nodes {@code names} with {@code slots} each, all at once, and waits until every one is ready. */
    List<OrchestrProcess> startNodes(List<String> names, int slots) {
        bench.progress("starting %s with %d slots each", String.join(", ", names), slots);
        List<OrchestrProcess> nodes = names.stream().map(name -> launchNode(name, slots, Map.of())).toList();
        nodes.forEach(node -> node.awaitReady(START_TIMEOUT));
        return nodes;
    }

    /** The line in which {@code node} logs its effective settings (fence timeout, heartbeat), if it wrote one. */
    static String settingsOf(OrchestrProcess node) {
        return node.log().lines().filter(line -> line.contains("fence after")).findFirst()
                .map(line -> line.substring(Math.max(0, line.indexOf("Starting")))).orElse("(not in its log)");
    }

    /** Starts node-1 to node-{@code count}. */
    List<OrchestrProcess> startNodes(int count, int slots) {
        return startNodes(IntStream.rangeClosed(1, count).mapToObj(i -> "node-" + i).toList(), slots);
    }

    /** Starts one node with extra environment (e.g. another broker port) and waits until it is ready. */
    OrchestrProcess startNode(String name, int slots, Map<String, String> env) {
        bench.progress("starting %s with %d slots", name, slots);
        return launchNode(name, slots, env).awaitReady(START_TIMEOUT);
    }

    private OrchestrProcess launchNode(String name, int slots, Map<String, String> extraEnv) {
        Map<String, String> env = brokerEnv();
        env.putAll(extraEnv);
        env.put("ORCHESTR_NODE_DEMO", "true");
        // the demo handlers write only in their directory: the tick files of tickArgument are there
        env.put("ORCHESTR_NODE_DEMO_DIR", ticks.toAbsolutePath().toString());
        int port = OrchestrProcess.freePort();
        return track(OrchestrProcess.start(bench.root(), name, "node.sh",
                List.of(name, Integer.toString(slots), "default", Integer.toString(port)), env, port, logs));
    }

    OrchestrProcess manager() {
        return manager;
    }

    OrchestratorClient client() {
        return OrchestratorClient.create(URI.create("http://127.0.0.1:" + manager.httpPort()),
                AdminToken.get().token());
    }

    String prefix() {
        return prefix;
    }

    /** Where this cluster's process logs and tick files are. */
    Path logs() {
        return logs;
    }

    /** The argument that makes a demo ticker job write a tick log, one line every {@code tickMillis}. */
    String tickArgument(String jobName, int tickMillis) {
        return "file=" + tickFile(jobName) + ";tickMillis=" + tickMillis;
    }

    TickLog tickLog(String jobName) {
        return new TickLog(tickFile(jobName));
    }

    private Path tickFile(String jobName) {
        return ticks.resolve(jobName + ".log");
    }

    /** The broker settings of the bench's processes, and the admin token (the manager's file, the controllers'). */
    private Map<String, String> brokerEnv() {
        Services.Broker broker = bench.services().broker();
        Map<String, String> env = OrchestrProcess.brokerEnvironment(broker.host(), broker.port(), broker.user(),
                broker.password(), prefix);
        env.putAll(AdminToken.get().environment());
        env.putAll(brokerSettings);
        return env;
    }

    private OrchestrProcess track(OrchestrProcess process) {
        processes.add(process);
        return process;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs stop() itself
        }
        stop();
    }

    /** Kills every process (nothing of this run is worth a graceful stop), then deletes the run's data. */
    private void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        processes.reversed().forEach(OrchestrProcess::kill);
        if (bench.keep()) {
            bench.progress("kept database %s and broker prefix %s", database.name(), prefix);
            return;
        }
        BrokerCleanup.deleteTopology(bench.services().broker(), prefix)
                .forEach(failure -> bench.progress("could not delete %s", failure));
        try {
            database.drop();
        } catch (BenchException e) {
            bench.progress("%s", e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "cluster " + prefix + " (logs " + logs + ")";
    }
}
