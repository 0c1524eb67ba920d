package io.orchestr.manager.broker;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeoutException;

/**
 * Publishing with publisher confirms, safe from any thread: each publication borrows a channel of its own (a
 * channel must not be shared across threads), publishes, waits for the broker's confirms and gives the channel
 * back. Channels are opened on demand and reused; a channel that failed is closed for good.
 */
@ApplicationScoped
class ConfirmedChannels {
    private static final int MAX_IDLE = 16;
    private static final long CONFIRM_TIMEOUT_MILLIS = 5_000;

    /** What to publish on a borrowed channel. */
    @FunctionalInterface
    interface Publication {
        void publishOn(Channel channel) throws IOException;
    }

    private final BrokerConnections connections;
    private final BlockingQueue<Channel> idle = new LinkedBlockingQueue<>();

    ConfirmedChannels(BrokerConnections connections) {
        this.connections = connections;
    }

    /**
     * Runs {@code publication} and returns once the broker confirmed all it published.
     *
     * @throws BrokerException when the broker is unreachable, refuses a message or does not confirm in time
     */
    void publish(String what, Publication publication) {
        publish(what, publication, true);
    }

    /**
     * Runs {@code publication} and returns once the client handed it to the connection, without waiting for the
     * broker's confirms: for messages whose loss the receiver repairs by asking again.
     *
     * @throws BrokerException when the broker is unreachable
     */
    void publishWithoutConfirm(String what, Publication publication) {
        publish(what, publication, false);
    }

    private void publish(String what, Publication publication, boolean awaitConfirms) {
        Channel channel = borrow(what);
        boolean confirmed = false;
        try {
            publication.publishOn(channel);
            if (awaitConfirms) {
                channel.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MILLIS);
            }
            confirmed = true;
        } catch (IOException | TimeoutException | ShutdownSignalException e) {
            throw new BrokerException("cannot publish " + what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerException("interrupted while publishing " + what, e);
        } finally {
            if (confirmed && idle.size() < MAX_IDLE) {
                idle.offer(channel);
            } else {
                closeQuietly(channel);
            }
        }
    }

    private Channel borrow(String what) {
        for (Channel channel = idle.poll(); channel != null; channel = idle.poll()) {
            if (channel.isOpen()) {
                return channel;
            }
            closeQuietly(channel);
        }
        try {
            Channel channel = connections.publishing().createChannel();
            channel.confirmSelect();
            return channel;
        } catch (IOException | ShutdownSignalException e) {
            throw new BrokerException("cannot open a channel to publish " + what + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(Channel channel) {
        try {
            // abort rather than close: it waits for nothing, and a recovering channel stops recovering
            channel.abort();
        } catch (IOException | RuntimeException e) {
            // the channel is unusable either way
        }
    }
}
