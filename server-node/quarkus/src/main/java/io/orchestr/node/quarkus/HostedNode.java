package io.orchestr.node.quarkus;

import io.orchestr.node.OrchestratedServer;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * The node this application hosts, if it hosts one: none when {@code orchestr.node.slots} is 0, which lets one
 * application (the manager, say) carry handlers and host a node only where it is configured to.
 */
@Singleton
class HostedNode {
    private final Optional<OrchestratedServer> server;

    HostedNode(Instance<OrchestratedServer> server) {
        this.server = server.isResolvable() ? Optional.of(server.get()) : Optional.empty();
    }

    Optional<OrchestratedServer> server() {
        return server;
    }
}
