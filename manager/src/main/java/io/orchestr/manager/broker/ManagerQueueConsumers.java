package io.orchestr.manager.broker;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.orchestr.manager.config.OrchestrConfig;
import io.orchestr.shared.json.WireCodec;
import io.orchestr.shared.topology.Topology;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Declares the shared topology at startup and consumes the manager queue on {@code orchestr.consumers} lanes
 * (channels), each with a prefetch of {@value #PREFETCH} and manual acks. Every manager instance does the same:
 * they compete for the queue's messages.
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

    private final BrokerConnections connections;
    private final Topology topology;
    private final WireCodec codec;
    private final InboundHandler handler;
    private final int lanes;
    private final List<Channel> channels = new CopyOnWriteArrayList<>();
    private final FailedAttempts attempts = new FailedAttempts(ATTEMPTS);

    ManagerQueueConsumers(BrokerConnections connections, Topology topology, WireCodec codec, InboundHandler handler,
                          OrchestrConfig config) {
        this.connections = connections;
        this.topology = topology;
        this.codec = codec;
        this.handler = handler;
        this.lanes = config.consumers();
    }

    void start(@Observes StartupEvent event) throws IOException {
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
        channel.basicConsume(queue, false,
                new Lane(channel, queue, codec, handler, attempts, topology.deadLetterExchange()));
        channels.add(channel);
    }

    void stop(@Observes ShutdownEvent event) {
        for (Channel channel : channels) {
            try {
                // closing the channel requeues what it had not acked yet, for the other managers
                channel.abort();
            } catch (IOException | RuntimeException e) {
                LOG.debugf("Closing a consumer channel failed: %s", e.getMessage());
            }
        }
        channels.clear();
    }

    /** True when every lane's channel is open (false while the connection recovers). */
    public boolean allLanesOpen() {
        return !channels.isEmpty() && channels.stream().allMatch(Channel::isOpen);
    }

    /** How many lanes are configured, for each of the two queues. */
    public int lanes() {
        return lanes;
    }
}
