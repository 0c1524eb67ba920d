package io.orchestr.node.testing;

import io.orchestr.node.OrchestratedServer;
import io.orchestr.node.OrchestratedServerBuilder;

import java.time.Duration;

/** Node builders with test settings: quick snapshots and a short cancel grace. */
public final class TestNodes {
    private TestNodes() {
    }

    public static OrchestratedServerBuilder node(TestBroker broker, String name) {
        return OrchestratedServer.builder()
                .name(name)
                .rabbitMq(broker.options())
                .prefix(broker.prefix())
                .heartbeatInterval(Duration.ofMillis(200))
                // a full snapshot every 5: tests that wait for a job to leave the snapshots wait for a full one
                .fullReportPeriod(Duration.ofSeconds(1))
                .cancelGrace(Duration.ofSeconds(2));
    }
}
