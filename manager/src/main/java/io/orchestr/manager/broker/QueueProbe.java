package io.orchestr.manager.broker;

import io.orchestr.manager.BrokerException;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Method;
import com.rabbitmq.client.ShutdownSignalException;
import io.orchestr.shared.topology.Topology;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

/**
 * Asks the broker about a queue with a passive declare, on a channel opened for that one question: a passive
 * declare of a missing queue closes its channel ({@code 404 NOT_FOUND}).
 */
@ApplicationScoped
public class QueueProbe {
    private final BrokerConnections connections;
    private final Topology topology;

    QueueProbe(BrokerConnections connections, Topology topology) {
        this.connections = connections;
        this.topology = topology;
    }

    /**
     * Whether a node incarnation's control queue still exists, that is whether the broker still sees the
     * connection that holds the node's deliveries. A node queue is exclusive and auto-delete: once the broker
     * notices that connection die it deletes the queue, after requeueing every message the connection held.
     * The broker answers {@code 405 RESOURCE_LOCKED} for an existing one: it belongs to the node's connection.
     *
     * @return true while the node's control queue exists
     * @throws BrokerException when the broker could not tell (unreachable, or an unexpected answer)
     */
    public boolean controlQueueExists(UUID nodeId) {
        return readyMessages(topology.nodeQueue(nodeId)).isPresent();
    }

    /**
     * How many messages wait in a pool's job or exec queue ({@link Topology#jobQueue}, {@link Topology#execQueue}),
     * ready for a consumer (messages that nodes hold unacked are not counted); empty when the queue does not exist.
     *
     * @throws BrokerException when the broker could not tell
     */
    public OptionalInt readyJobMessages(String queue) {
        return readyMessages(queue);
    }

    /** How many messages from the nodes wait for a manager; empty when the queue does not exist. */
    public OptionalInt readyManagerMessages() {
        return readyMessages(topology.managerQueue());
    }

    /**
     * Whether {@code queue} exists.
     *
     * @throws BrokerException when the broker could not tell
     */
    boolean exists(String queue) {
        return readyMessages(queue).isPresent();
    }

    private OptionalInt readyMessages(String queue) {
        Channel channel = null;
        try {
            channel = connections.consuming().createChannel();
            return OptionalInt.of(channel.queueDeclarePassive(queue).getMessageCount());
        } catch (IOException | ShutdownSignalException e) {
            int code = channelCloseCode(e);
            if (code == AMQP.NOT_FOUND) {
                return OptionalInt.empty();
            }
            if (code == AMQP.RESOURCE_LOCKED) {
                // only exclusive queues answer this, and none of them hold job messages
                return OptionalInt.of(0);
            }
            throw new BrokerException("cannot tell whether queue " + queue + " exists: " + e.getMessage(), e);
        } finally {
            closeQuietly(channel);
        }
    }

    private static int channelCloseCode(Exception e) {
        ShutdownSignalException signal = e instanceof ShutdownSignalException s ? s
                : e.getCause() instanceof ShutdownSignalException s ? s : null;
        if (signal == null || signal.isHardError()) {
            return -1;
        }
        Method reason = signal.getReason();
        return reason instanceof AMQP.Channel.Close close ? close.getReplyCode() : -1;
    }

    private static void closeQuietly(Channel channel) {
        if (channel != null && channel.isOpen()) {
            try {
                channel.close();
            } catch (IOException | TimeoutException | ShutdownSignalException e) {
                // nothing to do: the channel is closed either way
            }
        }
    }
}
