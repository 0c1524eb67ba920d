package io.orchestr.manager.broker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Method;
import com.rabbitmq.client.ShutdownSignalException;
import io.orchestr.shared.topology.Topology;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

/**
 * Tells whether a node incarnation's control queue still exists, that is whether the broker still sees the
 * connection that holds the node's deliveries. A node queue is exclusive and auto-delete: once the broker
 * notices that connection die it deletes the queue, after requeueing every message the connection held.
 *
 * <p>The probe is a passive declare on a channel opened for it alone: the broker closes the channel whatever
 * the answer, with {@code 404 NOT_FOUND} when the queue is gone and {@code 405 RESOURCE_LOCKED} when it exists
 * (it belongs to the node's connection, not ours).
 */
@ApplicationScoped
public class ControlQueueProbe {
    private final BrokerConnections connections;
    private final Topology topology;

    ControlQueueProbe(BrokerConnections connections, Topology topology) {
        this.connections = connections;
        this.topology = topology;
    }

    /**
     * @return true while the node's control queue exists
     * @throws BrokerException when the broker could not tell (unreachable, or an unexpected answer)
     */
    public boolean exists(UUID nodeId) {
        String queue = topology.nodeQueue(nodeId);
        Channel channel = null;
        try {
            channel = connections.publishing().createChannel();
            channel.queueDeclarePassive(queue);
            return true;
        } catch (IOException | ShutdownSignalException e) {
            int code = channelCloseCode(e);
            if (code == AMQP.NOT_FOUND) {
                return false;
            }
            if (code == AMQP.RESOURCE_LOCKED) {
                return true;
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
