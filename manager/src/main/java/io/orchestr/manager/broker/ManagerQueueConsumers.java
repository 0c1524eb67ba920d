package io.orchestr.manager.broker;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.orchestr.manager.config.OrchestrConfig;
import io.orchestr.shared.Causes;
import io.orchestr.shared.json.WireCodec;
import io.orchestr.shared.topology.Topology;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Declares the shared topology at startup and consumes the manager queue on {@code orchestr.consumers} lanes
 * (channels), each with a prefetch of {@value #PREFETCH} and manual acks. Every manager instance does the same:
 * they compete for the queue's messages.
 *
 * <p>A lane whose consumer the broker cancels (its queue was deleted) consumes again once the queue exists
 * again: the next node to connect declares it, and so does a manager at start. Until then {@link #state()} counts
 * it as cancelled, and readiness is DOWN: this manager does not handle what the nodes send it.
 */
@ApplicationScoped
public class ManagerQueueConsumers {
    private static final Logger LOG = Logger.getLogger(ManagerQueueConsumers.class);
    private static final int PREFETCH = 32;
    /**
     * The claims queue's lanes take one message at a time: a batch waiting in a busy lane's prefetch could go to
     * an idle lane instead, and batches that lanes hold at once are decided in one transaction.
     */
    private static final int CLAIMS_PREFETCH = 1;
    /** Claims lanes per lane of the manager queue: the more lanes hold a batch at once, the fewer transactions. */
    private static final int CLAIMS_LANES_PER_LANE = 4;
    /** Attempts at a message that fails for a reason other than an outage before it is dead-lettered. */
    private static final int ATTEMPTS = 5;
    /**
     * A delivery in hand for longer than this means a stuck lane: the database's own waits end sooner (a lock
     * wait times out after 50 s by default, a connection is handed out within 5 s or refused).
     */
    static final Duration STUCK_AFTER = Duration.ofSeconds(60);
    private static final Duration FIRST_RESUBSCRIBE = Duration.ofSeconds(1);
    private static final Duration LAST_RESUBSCRIBE = Duration.ofSeconds(30);

    private final BrokerConnections connections;
    private final Topology topology;
    private final WireCodec codec;
    private final InboundHandler handler;
    private final QueueProbe probe;
    private final int lanes;
    private final List<Lane> consuming = new CopyOnWriteArrayList<>();
    private final FailedAttempts attempts = new FailedAttempts(ATTEMPTS);
    private final ScheduledExecutorService resubscriptions = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "orchestr-resubscribe");
        thread.setDaemon(true);
        return thread;
    });

    ManagerQueueConsumers(BrokerConnections connections, Topology topology, WireCodec codec, InboundHandler handler,
                          QueueProbe probe, OrchestrConfig config) {
        this.connections = connections;
        this.topology = topology;
        this.codec = codec;
        this.handler = handler;
        this.probe = probe;
        this.lanes = config.consumers();
    }

    /**
     * How the lanes of both queues are: {@code lanes} in all, of which {@code closed} have a closed channel (while
     * the connection recovers), {@code cancelled} were cancelled by the broker and not yet consuming again, and
     * {@code stuck} have held one delivery for longer than {@link #STUCK_AFTER}.
     */
    public record LanesState(int lanes, int closed, int cancelled, int stuck) {
        /** True when every lane consumes and none is stuck (and the lanes were started). */
        public boolean consuming() {
            return lanes > 0 && closed == 0 && cancelled == 0 && stuck == 0;
        }
    }

    /**
     * Declares the shared topology and consumes on every lane. Called once the database answers (see {@code
     * ManagerStartup}); a failure (the broker does not answer) leaves no lane behind, so it may be called again.
     *
     * @throws IOException or a {@link io.orchestr.manager.BrokerException} when the broker does not answer
     */
    public synchronized void start() throws IOException {
        if (!consuming.isEmpty()) {
            return;
        }
        try {
            consumeOnEveryLane();
        } catch (IOException | RuntimeException e) {
            stopLanes();
            throw e;
        }
    }

    private void consumeOnEveryLane() throws IOException {
        Connection connection = connections.consuming();
        for (int i = 0; i < lanes; i++) {
            Channel channel = connection.createChannel();
            if (i == 0) {
                // on a channel that stays open: the client's automatic recovery declares it again after a broker
                // restart, and reports an error for what was declared on a channel closed since
                topology.declareShared(channel);
            }
            consume(channel, topology.managerQueue(), PREFETCH);
            for (int k = 0; k < CLAIMS_LANES_PER_LANE; k++) {
                consume(connection.createChannel(), topology.claimsQueue(), CLAIMS_PREFETCH);
            }
        }
        LOG.infof("Consuming %s on %d lanes (prefetch %d each) and %s on %d more (prefetch %d); replies go to"
                        + " exchange %s", topology.managerQueue(), lanes, PREFETCH, topology.claimsQueue(),
                lanes * CLAIMS_LANES_PER_LANE,
                CLAIMS_PREFETCH, topology.controlExchange());
    }

    private void consume(Channel channel, String queue, int prefetch) throws IOException {
        channel.basicQos(prefetch);
        Lane lane = new Lane(channel, queue, codec, handler, attempts, topology.deadLetterExchange(),
                cancelled -> resubscribeLater(cancelled, FIRST_RESUBSCRIBE));
        channel.basicConsume(queue, false, lane);
        consuming.add(lane);
    }

    private void resubscribeLater(Lane lane, Duration delay) {
        try {
            resubscriptions.schedule(() -> resubscribe(lane, delay), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debugf("Not consuming %s again: the manager is stopping", lane.queue());
        }
    }

    /** Consumes again if the queue exists; else tries again later, waiting twice as long up to 30 s. */
    private void resubscribe(Lane lane, Duration delay) {
        if (!lane.cancelled()) {
            return; // the connection's recovery consumed again already
        }
        Duration doubled = delay.multipliedBy(2);
        Duration next = doubled.compareTo(LAST_RESUBSCRIBE) > 0 ? LAST_RESUBSCRIBE : doubled;
        try {
            if (!lane.getChannel().isOpen()) {
                // the connection recovers, and its recovery declares the queue and consumes again
                LOG.debugf("Lane of %s waits for its channel to reopen; looking again in %d s", lane.queue(),
                        next.toSeconds());
            } else if (probe.exists(lane.queue())) {
                lane.resubscribe();
                LOG.infof("Consuming %s again on a lane whose consumer the broker had cancelled", lane.queue());
                return;
            } else {
                LOG.infof("Queue %s does not exist (yet): trying to consume it again in %d s", lane.queue(),
                        next.toSeconds());
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Could not consume %s again: %s; trying again in %d s", lane.queue(), Causes.describe(e),
                    next.toSeconds());
        }
        resubscribeLater(lane, next);
    }

    void stop(@Observes ShutdownEvent event) {
        resubscriptions.shutdownNow();
        stopLanes();
    }

    private synchronized void stopLanes() {
        for (Lane lane : consuming) {
            try {
                // closing the channel requeues what it had not acked yet, for the other managers
                lane.getChannel().abort();
            } catch (IOException | RuntimeException e) {
                LOG.debugf("Closing a consumer channel failed: %s", e.getMessage());
            }
        }
        consuming.clear();
    }

    /** How the lanes are now; see {@link LanesState}. */
    public LanesState state() {
        int closed = 0;
        int cancelled = 0;
        int stuck = 0;
        for (Lane lane : consuming) {
            if (!lane.getChannel().isOpen()) {
                closed++;
            } else if (lane.cancelled()) {
                cancelled++;
            }
            if (lane.stuck(STUCK_AFTER)) {
                stuck++;
            }
        }
        return new LanesState(consuming.size(), closed, cancelled, stuck);
    }

    /** How many lanes are configured, for each of the two queues. */
    public int lanes() {
        return lanes;
    }
}
