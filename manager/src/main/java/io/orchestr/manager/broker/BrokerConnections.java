package io.orchestr.manager.broker;

import io.orchestr.manager.BrokerException;
import com.rabbitmq.client.Connection;
import io.quarkiverse.rabbitmqclient.RabbitMQClient;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The manager's two broker connections: one consumes the manager queue, the other publishes and probes, so that
 * the broker's flow control on publishers never stalls the consumers. Both recover by themselves after a
 * connection loss (the client's automatic recovery); a connection that could not be opened is tried again at
 * the next use.
 */
@ApplicationScoped
public class BrokerConnections {
    private final RabbitMQClient client;
    private final String namePrefix = "orchestr-manager-" + ProcessHandle.current().pid();

    BrokerConnections(RabbitMQClient client) {
        this.client = client;
    }

    public Connection consuming() {
        return connect("consume");
    }

    public Connection publishing() {
        return connect("publish");
    }

    // synchronized: the extension keeps its connections in a plain HashMap, and concurrent first calls
    // (a burst of job creations) failed with ConcurrentModificationException
    private synchronized Connection connect(String purpose) {
        try {
            // the client opens a connection per name once and hands back the same one afterwards
            return client.connect(namePrefix + "-" + purpose);
        } catch (RuntimeException e) {
            throw new BrokerException("cannot connect to the broker: " + e.getMessage(), e);
        }
    }
}
