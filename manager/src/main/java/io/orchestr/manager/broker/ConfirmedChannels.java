package io.orchestr.manager.broker;

import io.orchestr.manager.BrokerException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishing with publisher confirms, safe from any thread: each publication borrows a channel of its own (a
 * channel must not be shared across threads), publishes, waits for the broker's confirms and gives the channel
 * back. Channels are opened on demand and reused; a channel that failed is closed for good.
 *
 * <p>The broker confirms a message it could not route as well; a publication sent {@code mandatory} learns of it
 * through the message coming back, which the broker sends before the confirm.
 */
@ApplicationScoped
class ConfirmedChannels {
    private static final int MAX_IDLE = 16;
    private static final long CONFIRM_TIMEOUT_MILLIS = 5_000;

    /** What to publish on a borrowed channel. */
    @FunctionalInterface
    interface ChannelPublish {
        void publishOn(Channel channel) throws IOException;
    }

    /** A channel, and the queue its last mandatory message could not reach, if any. */
    private static final class Borrowed {
        final Channel channel;
        volatile String returnedFrom;

        Borrowed(Channel channel) {
            this.channel = channel;
            channel.addReturnListener(returned -> returnedFrom = returned.getRoutingKey());
        }
    }

    private final BrokerConnections connections;
    private final Timer confirmLatency;
    private final BlockingQueue<Borrowed> idle = new LinkedBlockingQueue<>();
    /**
     * Aborts the channels of failed publications, off the publishing thread: an abort sends {@code channel.close}
     * and waits for the broker's reply, without a deadline, and a broker that blocks the connection (a resource
     * alarm) replies only once the alarm clears. Publications fail at once while blocked, so few wait here.
     */
    private final ExecutorService closer = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "orchestr-channel-closer");
        thread.setDaemon(true);
        return thread;
    });

    ConfirmedChannels(BrokerConnections connections, MeterRegistry registry) {
        this.connections = connections;
        this.confirmLatency = Timer.builder("orchestr.broker.confirm.latency")
                .description("From a publication's first message until the broker confirmed all it published")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMillis(CONFIRM_TIMEOUT_MILLIS))
                .register(registry);
    }

    @PreDestroy
    void stop() {
        closer.shutdownNow();
    }

    /**
     * Runs {@code publication} and returns once the broker confirmed all it published.
     *
     * @throws UnroutableException when a message published {@code mandatory} reached no queue
     * @throws BrokerException     when the broker is unreachable, refuses a message or does not confirm in time
     */
    void publish(String what, ChannelPublish publication) {
        publish(what, publication, true);
    }

    /**
     * Runs {@code publication} and returns once the client handed it to the connection, without waiting for the
     * broker's confirms: for messages whose loss the receiver repairs by asking again.
     *
     * @throws BrokerException when the broker is unreachable
     */
    void publishWithoutConfirm(String what, ChannelPublish publication) {
        publish(what, publication, false);
    }

    private void publish(String what, ChannelPublish publication, boolean awaitConfirms) {
        Optional<String> blocked = connections.publishingBlocked();
        if (blocked.isPresent()) {
            throw new BrokerException("cannot publish " + what + " now: the broker blocks publishing ("
                    + blocked.get() + ")", null);
        }
        Borrowed borrowed = borrow(what);
        borrowed.returnedFrom = null;
        boolean confirmed = false;
        try {
            long started = System.nanoTime();
            publication.publishOn(borrowed.channel);
            if (awaitConfirms) {
                // not waitForConfirmsOrDie: on a timeout it closes the channel and waits for the broker's reply,
                // which a broker that blocks the connection (a resource alarm) never sends; the channel is
                // aborted below instead, which waits for nothing
                if (!borrowed.channel.waitForConfirms(CONFIRM_TIMEOUT_MILLIS)) {
                    throw new IOException("the broker refused (nacked) a message");
                }
                confirmLatency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            }
            confirmed = true;
        } catch (IOException | TimeoutException | ShutdownSignalException e) {
            throw new BrokerException("cannot publish " + what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerException("interrupted while publishing " + what, e);
        } finally {
            if (confirmed && idle.size() < MAX_IDLE) {
                idle.offer(borrowed);
            } else {
                abortQuietly(borrowed.channel);
            }
        }
        if (awaitConfirms && borrowed.returnedFrom != null) {
            throw new UnroutableException(what, borrowed.returnedFrom);
        }
    }

    private Borrowed borrow(String what) {
        for (Borrowed borrowed = idle.poll(); borrowed != null; borrowed = idle.poll()) {
            if (borrowed.channel.isOpen()) {
                return borrowed;
            }
            abortQuietly(borrowed.channel);
        }
        try {
            Channel channel = connections.publishing().createChannel();
            channel.confirmSelect();
            return new Borrowed(channel);
        } catch (IOException | ShutdownSignalException e) {
            throw new BrokerException("cannot open a channel to publish " + what + ": " + e.getMessage(), e);
        }
    }

    private void abortQuietly(Channel channel) {
        try {
            closer.execute(() -> {
                try {
                    // abort rather than close: errors are ignored, and a recovering channel stops recovering
                    channel.abort();
                } catch (IOException | RuntimeException e) {
                    // the channel is unusable either way
                }
            });
        } catch (RejectedExecutionException e) {
            // shutting down: the connection closes with its channels
        }
    }
}
