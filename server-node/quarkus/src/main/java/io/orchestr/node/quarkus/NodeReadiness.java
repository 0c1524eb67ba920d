package io.orchestr.node.quarkus;

import io.orchestr.node.OrchestratedServer;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the node is connected to the broker and consumes its job queues; not while it reconnects, nor while
 * it waits for the broker at startup ({@code waitingFor} names it). Up, with {@code hosted: false}, when the
 * application hosts no node.
 */
@Readiness
@Singleton
public class NodeReadiness implements HealthCheck {
    private final HostedNode node;
    private final NodeLifecycle lifecycle;

    NodeReadiness(HostedNode node, NodeLifecycle lifecycle) {
        this.node = node;
        this.lifecycle = lifecycle;
    }

    @Override
    public HealthCheckResponse call() {
        return node.server().map(this::readiness).orElseGet(() -> HealthCheckResponse.named("orchestr-node")
                .up().withData("hosted", false).build());
    }

    private HealthCheckResponse readiness(OrchestratedServer server) {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("orchestr-node")
                .status(server.isConnected())
                .withData("name", server.settings().name());
        server.nodeId().ifPresent(id -> response.withData("nodeId", id.toString()));
        lifecycle.waitingFor().ifPresent(what -> response.withData("waitingFor", what));
        return response.build();
    }
}
