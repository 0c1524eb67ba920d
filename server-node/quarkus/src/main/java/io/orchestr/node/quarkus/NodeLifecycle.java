package io.orchestr.node.quarkus;

import io.orchestr.node.OrchestratedServer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Starts the node with the application and closes it gracefully when the application stops (SIGTERM
 * included), which hands its jobs back to the queue for other nodes.
 */
@Singleton
public class NodeLifecycle {
    private final OrchestratedServer server;

    NodeLifecycle(OrchestratedServer server) {
        this.server = server;
    }

    void onStart(@Observes StartupEvent event) {
        server.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        server.close();
    }
}
