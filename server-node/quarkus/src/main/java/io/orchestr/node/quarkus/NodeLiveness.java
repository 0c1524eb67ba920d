package io.orchestr.node.quarkus;

import io.orchestr.node.OrchestratedServer;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * Alive while the node's engine thread keeps its periodic tick (see {@link OrchestratedServer#isResponsive()}).
 * A lost broker connection does not make the node dead: it reconnects by itself, and readiness says so. Up, with
 * {@code hosted: false}, when the application hosts no node.
 */
@Liveness
@Singleton
public class NodeLiveness implements HealthCheck {
    private final HostedNode node;

    NodeLiveness(HostedNode node) {
        this.node = node;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("orchestr-node-engine");
        return node.server()
                .map(server -> response.status(server.isResponsive()).withData("name", server.settings().name()))
                .orElseGet(() -> response.up().withData("hosted", false))
                .build();
    }
}
