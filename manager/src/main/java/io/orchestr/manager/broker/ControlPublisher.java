package io.orchestr.manager.broker;

import io.orchestr.manager.BrokerException;
import com.rabbitmq.client.AMQP;
import io.orchestr.shared.json.WireCodec;
import io.orchestr.shared.topology.Topology;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** Sends messages to nodes through the control exchange, with publisher confirms. Thread-safe. */
@ApplicationScoped
public class ControlPublisher {
    private final AMQP.BasicProperties properties;
    private final ConfirmedChannels channels;
    private final Topology topology;
    private final WireCodec codec;

    ControlPublisher(ConfirmedChannels channels, Topology topology, WireCodec codec, BrokerConnections connections) {
        this.properties = new AMQP.BasicProperties.Builder()
                .contentType(WireCodec.CONTENT_TYPE)
                .userId(connections.user())
                .build();
        this.channels = channels;
        this.topology = topology;
        this.codec = codec;
    }

    /**
     * Publishes {@code messages} without waiting for the broker's confirms: every control message is an answer
     * or a request that the node side repeats until it is acted on (claims are resent, snapshots bring cancels
     * and stops again), so a lost one costs a retry, while a confirm round trip per claim was the largest part
     * of a big failover. A message for a node whose queue is gone is dropped by the broker, which is what we
     * want: that node is gone too.
     *
     * @throws BrokerException when the broker is unreachable
     */
    public void send(List<ControlMessage> messages) {
        if (messages.isEmpty()) {
            return;
        }
        channels.publishWithoutConfirm(messages.size() + " control message(s)", channel -> {
            for (ControlMessage message : messages) {
                channel.basicPublish(topology.controlExchange(), message.routingKey(), properties,
                        codec.encode(message.message()));
            }
        });
    }
}
