package io.orchestr.node.quarkus;

import io.orchestr.node.OrchestratedServer;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Alive while the node's engine thread keeps its periodic tick (see {@link OrchestratedServer#isResponsive()}).
 * A lost broker connection does not make the node dead: it reconnects by itself, and readiness says so.
 */
@Liveness
@Singleton
public class NodeLiveness implements HealthCheck {
    private final OrchestratedServer server;

    NodeLiveness(OrchestratedServer server) {
        this.server = server;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("orchestr-node-engine")
                .status(server.isResponsive())
                .withData("name", server.settings().name())
                .build();
    }
}
