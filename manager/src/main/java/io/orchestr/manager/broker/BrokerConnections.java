package io.orchestr.manager.broker;

import io.orchestr.manager.BrokerException;
import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Connection;
import io.quarkiverse.rabbitmqclient.RabbitMQClient;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * The manager's two broker connections: one consumes the manager queue and probes queues, the other publishes, so
 * that the broker's flow control on publishers never stalls the consumers. Both recover by themselves after a
 * connection loss (the client's automatic recovery); a connection that could not be opened is tried again at
 * the next use.
 *
 * <p>A broker with a memory or disk alarm blocks the publishing connection: it stops reading from it, so every
 * call on it (a channel's opening, a publish's confirm) would hang until the alarm clears. While blocked,
 * {@link #publishingBlocked()} says why, and publications fail at once instead (the outbox keeps what they carried).
 * Probes go through the consuming connection, which publishes nothing and so is never blocked.
 */
@ApplicationScoped
public class BrokerConnections {
    private final RabbitMQClient client;
    private static final Logger LOG = Logger.getLogger(BrokerConnections.class);
    private final String namePrefix = "orchestr-manager-" + ProcessHandle.current().pid();
    /** The publishing connection the blocked listener is on (recovery keeps listeners on the same object). */
    private volatile Connection watchedPublishing;
    /** Why the broker blocks the publishing connection; null while it does not. */
    private volatile String blockedReason;

    /** The broker user both connections log in as. */
    private final String user;

    BrokerConnections(RabbitMQClient client, @ConfigProperty(name = "quarkus.rabbitmqclient.username") String user) {
        this.client = client;
        this.user = user;
    }

    /**
     * The broker user this manager connects as, which every message it publishes names as its {@code user-id}: the
     * broker refuses a publish naming another, so nodes can tell the managers' messages from anyone else's.
     */
    public String user() {
        return user;
    }

    public Connection consuming() {
        return connect("consume");
    }

    public Connection publishing() {
        Connection connection = connect("publish");
        if (connection != watchedPublishing) {
            watchBlocking(connection);
        }
        return connection;
    }

    /** Why the broker blocks the publishing connection (a resource alarm), if it does. */
    public Optional<String> publishingBlocked() {
        return Optional.ofNullable(blockedReason);
    }

    private synchronized void watchBlocking(Connection connection) {
        if (connection == watchedPublishing) {
            return;
        }
        watchedPublishing = connection;
        connection.addBlockedListener(new BlockedListener() {
            @Override
            public void handleBlocked(String reason) {
                blockedReason = reason;
                LOG.warnf("The broker blocks this manager's publishing (%s): jobs created meanwhile are stored and"
                        + " published once it clears; claims are answered then", reason);
            }

            @Override
            public void handleUnblocked() {
                blockedReason = null;
                LOG.info("The broker unblocked this manager's publishing");
            }
        });
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
