package io.orchestr.bench;

import com.rabbitmq.client.ConnectionFactory;
import io.orchestr.shared.json.WireCodec;
import io.orchestr.shared.topology.Topology;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Many simulated node incarnations in this JVM, speaking the real wire protocol to the real broker and managers
 * ({@link SimulatedNode}), grouped {@code nodesPerConnection} to a broker connection ({@link FleetConnection}).
 * What it cannot tell a real fleet from: nothing on the wire. What it leaves out: handlers, and a JVM per node.
 */
final class SimulatedFleet implements AutoCloseable {
    /** The broker's connection heartbeat a real node asks for by default. */
    private static final int HEARTBEAT_SECONDS = 5;
    /** Decoding happens on the client's dispatch threads; the state lives on one thread per connection. */
    private static final int DISPATCH_THREADS = 2;

    /**
     * @param nodes              simulated node incarnations
     * @param slots              each node's slots: its prefetch on the job queue
     * @param nodesPerConnection how many nodes share one broker connection
     * @param reportInterval     a real node's heartbeat interval: one report per node per interval
     * @param fullReportPeriod   how often a node's report lists every job it holds
     */
    record Settings(int nodes, int slots, int nodesPerConnection, String pool, Duration reportInterval,
                    Duration fullReportPeriod) {
    }

    private final FleetCounters counters = new FleetCounters();
    private final List<FleetConnection> connections = new ArrayList<>();
    private final ExecutorService dispatch = Executors.newFixedThreadPool(DISPATCH_THREADS, runnable -> {
        Thread thread = new Thread(runnable, "fleet-dispatch");
        thread.setDaemon(true);
        return thread;
    });

    private SimulatedFleet() {
    }

    /** Connects, declares and starts every node, then starts their reports. */
    static SimulatedFleet start(Services.Broker broker, Topology topology, Settings settings) throws IOException {
        SimulatedFleet fleet = new SimulatedFleet();
        try {
            fleet.connect(broker, topology, settings);
            return fleet;
        } catch (IOException | RuntimeException e) {
            fleet.close();
            throw e;
        }
    }

    private void connect(Services.Broker broker, Topology topology, Settings settings) throws IOException {
        ConnectionFactory factory = broker.connectionFactory();
        factory.setRequestedHeartbeat(HEARTBEAT_SECONDS);
        factory.setAutomaticRecoveryEnabled(false);
        factory.setTopologyRecoveryEnabled(false);
        WireCodec codec = new WireCodec();
        int reportsPerFull = (int) Math.max(1, settings.fullReportPeriod().dividedBy(settings.reportInterval()));
        for (int first = 0; first < settings.nodes(); first += settings.nodesPerConnection()) {
            FleetConnection connection = new FleetConnection(factory, dispatch, "orchestr-fleet-" + connections.size(),
                    topology, settings.pool(), settings.reportInterval(), codec, counters);
            connections.add(connection);
            List<SimulatedNode> group = new ArrayList<>();
            for (int n = first; n < Math.min(settings.nodes(), first + settings.nodesPerConnection()); n++) {
                group.add(new SimulatedNode("fleet-" + (n + 1), settings.slots(), settings.pool(), reportsPerFull,
                        connection, counters));
            }
            connection.start(group);
        }
        connections.forEach(connection -> connection.startReports(settings.reportInterval()));
    }

    FleetCounters counters() {
        return counters;
    }

    int connections() {
        return connections.size();
    }

    @Override
    public void close() {
        connections.forEach(FleetConnection::close);
        dispatch.shutdownNow();
    }
}
