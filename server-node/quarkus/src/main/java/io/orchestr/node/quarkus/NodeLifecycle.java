package io.orchestr.node.quarkus;

import io.orchestr.node.OrchestratedServer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Starts the node with the application and closes it gracefully when the application stops (SIGTERM
 * included), which hands its jobs back to the queue for other nodes. Does nothing when the application hosts no
 * node.
 */
@Singleton
public class NodeLifecycle {
    private final HostedNode node;

    NodeLifecycle(HostedNode node) {
        this.node = node;
    }

    void onStart(@Observes StartupEvent event) {
        node.server().ifPresent(OrchestratedServer::start);
    }

    void onStop(@Observes ShutdownEvent event) {
        node.server().ifPresent(OrchestratedServer::close);
    }
}
