package io.orchestr.node.testing;

import io.orchestr.node.OrchestratedServer;
import io.orchestr.node.OrchestratedServerBuilder;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/**
 * Node tests against the real broker: every test gets a fresh topology prefix, a scripted manager, a listener and
 * a job recorder; the nodes it starts are closed and the prefix removed after it.
 */
public abstract class NodeTestBase {
    protected final RecordingListener listener = new RecordingListener();
    protected final JobRecorder recorder = new JobRecorder();
    protected TestBroker broker;
    protected TestManager manager;
    private final List<OrchestratedServer> nodes = new ArrayList<>();

    @BeforeEach
    void startBrokerAndManager() {
        broker = new TestBroker(getClass().getSimpleName());
        manager = new TestManager(broker.topology());
    }

    @AfterEach
    void closeEverything() throws IOException {
        nodes.forEach(OrchestratedServer::close);
        manager.close();
        broker.close();
    }

    /** A node builder with test settings, reporting to {@link #listener}. */
    protected OrchestratedServerBuilder node(String name) {
        return TestNodes.node(broker, name).listener(listener);
    }

    protected OrchestratedServer start(OrchestratedServerBuilder builder) {
        OrchestratedServer server = builder.build();
        nodes.add(server);
        server.start();
        return server;
    }

    protected static UUID idOf(OrchestratedServer server) {
        return server.nodeId().orElseThrow(() -> new AssertionError("node is not connected"));
    }

    protected static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50));
    }
}
