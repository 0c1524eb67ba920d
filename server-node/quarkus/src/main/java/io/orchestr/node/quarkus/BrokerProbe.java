package io.orchestr.node.quarkus;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.orchestr.node.RabbitMqOptions;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * Whether the node's broker answers: opens an AMQP connection with the node's settings and closes it at once.
 * The node starts only once it answers, as its first connection would fail otherwise and close the node.
 */
final class BrokerProbe {
    private static final int TIMEOUT_MILLIS = 5_000;

    private BrokerProbe() {
    }

    /** Returns when the broker accepted a connection; throws while it does not answer or refuses the login. */
    static void connect(RabbitMqOptions options) throws IOException, TimeoutException {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(options.host());
        factory.setPort(options.port());
        factory.setUsername(options.user());
        factory.setPassword(options.password());
        factory.setVirtualHost(options.virtualHost());
        factory.setAutomaticRecoveryEnabled(false);
        factory.setConnectionTimeout(TIMEOUT_MILLIS);
        factory.setHandshakeTimeout(TIMEOUT_MILLIS);
        try (Connection connection = factory.newConnection("orchestr-node-start-probe")) {
            connection.getServerProperties();
        }
    }
}
