package io.orchestr.node.quarkus;

import io.orchestr.node.OrchestratedServer;
import io.orchestr.shared.Causes;
import io.orchestr.shared.ServiceWait;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Starts the node with the application and closes it gracefully when the application stops (SIGTERM
 * included), which hands its jobs back to the queue for other nodes. Does nothing when the application hosts no
 * node.
 *
 * <p>A node starts in any order with its broker (docs/architecture.md, "Starting in any order"): when the broker
 * answers at startup the node connects before the application serves; when it does not, the application starts
 * anyway, readiness is down ({@link #waitingFor()}), and a thread of its own waits for the broker ({@link
 * ServiceWait}: backoff with jitter, one line at most every 30 s) and then starts the node.
 */
@Singleton
public class NodeLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(NodeLifecycle.class);

    private final HostedNode node;
    /** What the node waits for before it starts, in words; null when it waits for nothing. */
    private volatile String waitingFor;
    private Thread waiter;

    NodeLifecycle(HostedNode node) {
        this.node = node;
    }

    void onStart(@Observes StartupEvent event) {
        node.server().ifPresent(this::start);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (waiter != null) {
            waiter.interrupt();
        }
        node.server().ifPresent(OrchestratedServer::close);
    }

    /** What the node waits for before it starts ("the broker at 127.0.0.1:5672"); empty when nothing. */
    Optional<String> waitingFor() {
        return Optional.ofNullable(waitingFor);
    }

    private void start(OrchestratedServer server) {
        try {
            BrokerProbe.connect(server.settings().rabbitMq());
        } catch (Exception e) {
            LOG.debug("The broker does not answer at startup ({}): waiting in the background", Causes.describe(e));
            waitingFor = "the broker at " + server.settings().rabbitMq().address();
            waiter = new Thread(() -> waitAndStart(server), "orchestr-node-startup");
            waiter.setDaemon(true);
            waiter.start();
            return;
        }
        server.start();
    }

    private void waitAndStart(OrchestratedServer server) {
        try {
            ServiceWait.of(waitingFor, LOG::warn, LOG::info).until(() -> {
                BrokerProbe.connect(server.settings().rabbitMq());
                return null;
            });
        } catch (InterruptedException e) {
            LOG.info("Stopped while waiting for {}", waitingFor);
            return;
        }
        try {
            server.start();
            waitingFor = null;
        } catch (RuntimeException e) {
            // the broker went away again between the probe and the first connection; a started node would
            // reconnect by itself, one that never connected cannot: let the supervisor start the process again
            LOG.error("Node could not start once {} answered: {}; exiting", waitingFor, Causes.describe(e));
            Quarkus.asyncExit(1);
        }
    }
}
