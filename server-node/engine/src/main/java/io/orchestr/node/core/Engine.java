package io.orchestr.node.core;

import io.orchestr.node.NodeException;
import io.orchestr.node.NodeListener;
import io.orchestr.node.NodeSettings;
import io.orchestr.shared.Causes;
import io.orchestr.shared.json.WireCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keeps a node connected: one {@link Incarnation} at a time, a snapshot and a look for hung runs every heartbeat
 * interval, the fence (decided by a {@link FenceWatchdog} on a thread of its own), and a new incarnation (with
 * backoff) whenever the current one is fenced or loses its connection. The lifecycle around it is
 * {@code OrchestratedServer}'s. Fields without a note are confined to the engine thread.
 */
public final class Engine {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    private static final Duration LOOP_SHUTDOWN = Duration.ofSeconds(5);

    /** The shortest fence timeout a node takes ({@code Lease.SHORTEST}). */
    public static final Duration SHORTEST_FENCE = Lease.SHORTEST;

    private final NodeSettings settings;
    private final NodeListener listener;
    private final WireCodec codec = new WireCodec();
    private final Loop loop;
    private final FenceWatchdog watchdog;
    private final LeaseProver prover;
    /** Runs' output files and the answers to the managers' reads of them, across incarnations. */
    private final OutputServer outputs;
    /** Whether the node drains: kept across incarnations, so that a drained node reconnects drained. */
    private final Drain drain = new Drain();
    private Incarnation current;
    private boolean closing;
    private int failedReconnects;
    /** Read from any thread. */
    private volatile UUID connectedNodeId;
    /** The current incarnation, for reads from any thread ({@link #isBlocked}). */
    private volatile Incarnation watchedIncarnation;
    /** When the periodic tick last ran on the engine thread ({@link System#nanoTime()}); read from any thread. */
    private volatile long lastTick = System.nanoTime();

    public Engine(NodeSettings settings) {
        this.settings = settings;
        this.listener = new SafeListener(settings.listeners());
        this.loop = new Loop(settings.name());
        this.watchdog = new FenceWatchdog(settings.name(), this::lapsed);
        this.prover = new LeaseProver(settings.name());
        this.outputs = new OutputServer(settings.name(), new OutputFiles(settings.outputDir(),
                new OutputRetention(settings.outputRunsKept(), settings.outputBytesKept())));
    }

    /** Connects the first incarnation; returns once it consumes. On failure the engine is shut down. */
    public void start() {
        try {
            loop.call(() -> {
                connect();
                return null;
            });
        } catch (Exception e) {
            watchdog.shutdown();
            prover.shutdown();
            outputs.shutdown();
            loop.shutdown(LOOP_SHUTDOWN);
            throw new NodeException("node '" + settings.name() + "' could not connect to RabbitMQ at "
                    + settings.rabbitMq().address() + ": " + Causes.describe(e), e);
        }
        lastTick = System.nanoTime();
        loop.every(this::tick, settings.heartbeatInterval());
    }

    /** Closes gracefully (see {@code OrchestratedServer.close()}) and stops the engine thread. */
    public void close() {
        try {
            CompletableFuture<Void> drained = loop.call(() -> {
                closing = true;
                return current == null ? CompletableFuture.<Void>completedFuture(null) : current.beginClose();
            });
            awaitHandlers(drained);
            loop.call(() -> {
                drain.closed();
                if (current != null) {
                    current.finishClose();
                    LOG.info("Node {} ({}) left: its jobs are handed back and its connection closed",
                            settings.name(), current.nodeId);
                    retire();
                }
                return null;
            });
        } catch (Exception e) {
            throw new NodeException("node '" + settings.name() + "' failed to close cleanly: " + Causes.describe(e), e);
        } finally {
            watchdog.shutdown();
            prover.shutdown();
            outputs.shutdown();
            loop.shutdown(LOOP_SHUTDOWN);
        }
    }

    /**
     * Drains the node (see {@code OrchestratedServer.drain()}): a new ask of the node's own, which the managers
     * take over from its snapshots.
     *
     * @return completes, on the engine thread, once the node holds nothing
     */
    public CompletableFuture<Void> drain() {
        return askDrain(true);
    }

    /**
     * Undrains the node (see {@code OrchestratedServer.undrain()}).
     *
     * @return completes once the node consumes again (or, disconnected, will at its next incarnation)
     */
    public CompletableFuture<Void> undrain() {
        return askDrain(false);
    }

    /** True while the node is asked to drain, by itself or by the managers. Thread-safe. */
    public boolean drains() {
        return drain.drains();
    }

    private CompletableFuture<Void> askDrain(boolean asked) {
        try {
            return loop.call(() -> {
                if (closing) {
                    return CompletableFuture.<Void>completedFuture(null);
                }
                if (drain.ownAsk(asked) && current != null) {
                    current.drainChanged("asked on this node");
                }
                return asked ? drain.whenDrained(current == null || current.holdsNothing())
                        : CompletableFuture.<Void>completedFuture(null);
            });
        } catch (Exception e) {
            throw new NodeException("node '" + settings.name() + "' could not " + (asked ? "drain" : "undrain") + ": "
                    + Causes.describe(e), e);
        }
    }

    /**
     * The longest fence timeout that still stops a node's jobs before a broker with this connection heartbeat
     * requeues them: the broker gives a silent connection up two to three heartbeats after the last byte it
     * received, and the fence fires up to {@code 100 ms} after its timeout, with a margin kept for stopping the runs.
     */
    public static Duration latestSafeFence(Duration brokerHeartbeat) {
        return Lease.latestSafeFence(brokerHeartbeat);
    }

    /**
     * How long ago the engine thread last ran its periodic tick (snapshot and hung-run check, due every heartbeat
     * interval): far above the interval, the thread is wedged. Thread-safe.
     */
    public Duration sinceLastTick() {
        return Duration.ofNanos(System.nanoTime() - lastTick);
    }

    /**
     * True while the broker blocks the current incarnation's connection (a resource alarm): the engine thread may
     * then wait in a publish, which is no sign of a wedged engine. Thread-safe.
     */
    public boolean isBlocked() {
        Incarnation incarnation = watchedIncarnation;
        return incarnation != null && incarnation.lease() != null && incarnation.lease().isBlocked();
    }

    /** The current incarnation's id while connected. Thread-safe. */
    public Optional<UUID> nodeId() {
        return Optional.ofNullable(connectedNodeId);
    }

    private void awaitHandlers(CompletableFuture<Void> drained) throws ExecutionException {
        try {
            drained.get(settings.cancelGrace().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.debug("Some handlers outlived the cancel grace; they are interrupted next");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void connect() throws Exception {
        UUID nodeId = UUID.randomUUID();
        Incarnation incarnation = new Incarnation(nodeId, settings, loop, listener, drain, outputs);
        incarnation.open(codec, new PostingEvents(loop, incarnation, this::sessionLost));
        current = incarnation;
        watchedIncarnation = incarnation;
        connectedNodeId = nodeId;
        watchdog.watch(incarnation);
        prover.watch(incarnation);
        LOG.info("Node {} ({}) connected to {}, {} slots, pools {}, consuming {}", settings.name(), nodeId,
                incarnation.broker(), settings.slots(), settings.pools(), settings.jobQueues());
        listener.connected(nodeId);
    }

    private void tick() {
        lastTick = System.nanoTime();
        if (current == null) {
            return;
        }
        // hung and timed-out runs first, so that this snapshot already shows why they stop
        current.checkLimits();
        current.sendSnapshot(settings.clock().instant());
    }

    /**
     * On the watchdog's thread: the lease of {@code incarnation} lapsed. Its runs are stopped and its socket closed
     * there and then; the bookkeeping follows on the engine thread, which the closed socket frees if a publish held
     * it.
     */
    private void lapsed(Incarnation incarnation) {
        Duration silence = incarnation.lease().silence();
        // posted before the socket closes: the closed socket makes the client report the connection lost, and
        // that report must find the incarnation fenced already, not take the fence's place
        loop.post(() -> fence(incarnation, silence));
        incarnation.sever();
    }

    private void fence(Incarnation fenced, Duration silence) {
        if (fenced != current) {
            return; // retired already: its connection was lost first
        }
        retire();
        int jobs = fenced.abandon("the node fenced itself");
        LOG.error("FENCED: node {} ({}) had nothing confirmed by the broker for {} (fence timeout {}); it is probably"
                        + " cut off from the broker, which will requeue its jobs for other nodes. Stopped its {} jobs"
                        + " at once without acking them; reconnecting as a new incarnation",
                settings.name(), fenced.nodeId, Durations.brief(silence), Durations.brief(fenced.fenceTimeout()), jobs);
        listener.fenced(fenced.nodeId, silence);
        reconnectLater();
    }

    private void sessionLost(Incarnation incarnation, String cause) {
        if (incarnation != current) {
            return; // retired already: fenced, closed, or never fully opened
        }
        retire();
        int jobs = incarnation.abandon(cause);
        LOG.error("DELIVERIES LOST: node {} ({}) lost its broker session: {}. Its {} jobs were stopped at once: their"
                        + " messages are no longer this node's (the broker requeues them, or they went with a deleted"
                        + " queue); reconnecting as a new incarnation",
                settings.name(), incarnation.nodeId, cause, jobs);
        listener.deliveriesLost(incarnation.nodeId, cause, jobs);
        reconnectLater();
    }

    private Incarnation retire() {
        Incarnation retired = current;
        current = null;
        watchedIncarnation = null;
        watchdog.watch(null);
        prover.watch(null);
        connectedNodeId = null;
        return retired;
    }

    private void reconnectLater() {
        if (!closing) {
            loop.schedule(this::reconnect, Backoff.RECONNECT.delay(failedReconnects));
        }
    }

    private void reconnect() {
        if (closing || current != null) {
            return;
        }
        try {
            connect();
            failedReconnects = 0;
        } catch (Exception e) {
            failedReconnects++;
            LOG.warn("Node {} could not reconnect to RabbitMQ at {}: {}; trying again in {}", settings.name(),
                    settings.rabbitMq().address(), Causes.describe(e),
                    Durations.brief(Backoff.RECONNECT.delay(failedReconnects)));
            reconnectLater();
        }
    }
}
