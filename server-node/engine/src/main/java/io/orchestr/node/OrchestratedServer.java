package io.orchestr.node;

import io.orchestr.node.core.Engine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A server node: holds up to {@code maxWorkers} job messages from its pools' queues, runs each job only once the
 * manager granted it, and hands jobs back when it stops.
 *
 * <pre>{@code
 * OrchestratedServer server = OrchestratedServer.builder()
 *         .name("server-1")
 *         .maxWorkers(10)
 *         .rabbitMq(RabbitMqOptions.of("localhost", 5672, "guest", "guest"))
 *         .handler(ctx -> { while (!ctx.awaitCancellation(Duration.ofSeconds(1))) { ctx.heartbeat(); } })
 *         .build();
 * server.start();
 * ...
 * server.close();
 * }</pre>
 *
 * <p>Lifecycle: new → started → closed, once. {@link #start()} and {@link #close()} are idempotent; starting a
 * closed node is refused. Threading: every method is thread-safe; {@code start} and {@code close} block (see each).
 * The node lives on its own threads: one engine thread for all bookkeeping, the broker client's threads, and a
 * virtual thread per running handler. Never call {@code close} from a {@link NodeListener}: it runs on the engine
 * thread that {@code close} waits for.
 */
public final class OrchestratedServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OrchestratedServer.class);

    private static final Duration MIN_UNRESPONSIVE = Duration.ofSeconds(10);

    private enum Lifecycle { NEW, STARTING, RUNNING, CLOSING, CLOSED }

    private final NodeSettings settings;
    private final Engine engine;
    private final AtomicReference<Lifecycle> lifecycle = new AtomicReference<>(Lifecycle.NEW);

    OrchestratedServer(NodeSettings settings) {
        this.settings = settings;
        this.engine = new Engine(settings);
    }

    public static OrchestratedServerBuilder builder() {
        return new OrchestratedServerBuilder();
    }

    /**
     * Connects to the broker, declares the queues and starts consuming; returns once the node consumes. Later
     * connection losses are repaired in the background, each time as a new incarnation. Calling it again on a
     * started node does nothing.
     *
     * @throws NodeException when the first connection fails (the node is then closed) or the node was closed
     */
    public synchronized void start() {
        switch (lifecycle.get()) {
            case NEW -> {
                lifecycle.set(Lifecycle.STARTING);
                LOG.info("Starting Orchestr {}", settings.describe());
                try {
                    engine.start();
                } catch (RuntimeException e) {
                    lifecycle.set(Lifecycle.CLOSED);
                    throw e;
                }
                lifecycle.set(Lifecycle.RUNNING);
            }
            case RUNNING -> {
            }
            default -> throw new NodeException("node '" + settings.name() + "' is " + lifecycle.get()
                    + " and cannot start again: build a new one");
        }
    }

    /**
     * Stops gracefully, in this order: stops consuming, asks every handler to stop and waits for them (at most
     * the cancel grace, then interrupts the rest), tells the managers the incarnation leaves, hands every held
     * job message back to its queue, closes the broker connection. Blocks until done; does nothing when the node
     * is already closed (or was never started).
     */
    @Override
    public synchronized void close() {
        Lifecycle was = lifecycle.get();
        if (was == Lifecycle.CLOSED) {
            return;
        }
        lifecycle.set(Lifecycle.CLOSING);
        try {
            if (was == Lifecycle.RUNNING) {
                engine.close();
            }
        } finally {
            lifecycle.set(Lifecycle.CLOSED);
        }
    }

    /**
     * Drains the node: it takes no new job and hands back every job it holds with zero overlap, ten running
     * jobs at a time. Each is stopped as a pause stops it
     * (its handler asked to stop, interrupted after the cancel grace) and reported released; the managers queue it
     * again for another node only then. Jobs not granted yet are handed back at once. The node stays connected and
     * keeps reporting, shows {@code Draining} and then {@code Drained} in the managers' API, and stays drained across
     * its reconnects until {@link #undrain()} (or the managers' undrain). The same as the managers' {@code POST
     * /api/servers/{id}/drain}: whichever asked last wins. {@link #close()} hands back all jobs at once instead.
     *
     * @return completes once the node holds nothing (at once when it holds nothing already, or after {@link
     *         #close()}); fails with a {@link java.util.concurrent.CancellationException} when the node is undrained
     *         first. It completes on a thread of the common pool, never on the node's own threads.
     * @throws NodeException when the node is not started or is closed
     */
    public CompletableFuture<Void> drain() {
        requireRunning("drain");
        return offEngineThread(engine.drain());
    }

    /**
     * Undrains the node: it takes jobs again, now if it is connected, else from its next incarnation on. Releases
     * under way go on (their jobs go back to the queue). A no-op for a node that does not drain.
     *
     * @throws NodeException when the node is not started or is closed
     */
    public void undrain() {
        requireRunning("undrain");
        engine.undrain();
    }

    /** True while the node drains (asked by itself or by the managers), drained already or not. */
    public boolean isDraining() {
        return lifecycle.get() == Lifecycle.RUNNING && engine.drains();
    }

    private void requireRunning(String what) {
        if (lifecycle.get() != Lifecycle.RUNNING) {
            throw new NodeException("node '" + settings.name() + "' is " + lifecycle.get() + ": cannot " + what);
        }
    }

    /** {@code future}'s outcome, delivered on the common pool, so that no caller's code runs on the engine thread. */
    private static CompletableFuture<Void> offEngineThread(CompletableFuture<Void> future) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        future.whenCompleteAsync((done, failure) -> {
            if (failure == null) {
                result.complete(null);
            } else {
                result.completeExceptionally(failure);
            }
        });
        return result;
    }

    /** True while the node is started and connected to the broker, consuming its job queues unless it drains. */
    public boolean isConnected() {
        return lifecycle.get() == Lifecycle.RUNNING && engine.nodeId().isPresent();
    }

    /**
     * True while the node is started and its engine thread is not wedged: it ran its periodic tick (due every
     * heartbeat interval) within the last ten intervals, at least the last 10 seconds. Stays true while the node
     * reconnects, which it does by itself, and while the broker blocks its publishes (a memory or disk alarm: the
     * engine thread may wait in a publish until it clears); false before start and after close. A false answer from
     * a started node means its bookkeeping stopped: restart the process.
     */
    public boolean isResponsive() {
        Duration allowed = settings.heartbeatInterval().multipliedBy(10);
        if (allowed.compareTo(MIN_UNRESPONSIVE) < 0) {
            allowed = MIN_UNRESPONSIVE;
        }
        return lifecycle.get() == Lifecycle.RUNNING
                && (engine.sinceLastTick().compareTo(allowed) <= 0 || engine.isBlocked());
    }

    /** The id of the current incarnation; empty before start, while reconnecting, and after close. */
    public Optional<UUID> nodeId() {
        return lifecycle.get() == Lifecycle.RUNNING ? engine.nodeId() : Optional.empty();
    }

    public NodeSettings settings() {
        return settings;
    }
}
