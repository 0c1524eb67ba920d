package io.orchestr.node.core;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.MessageProperties;

import java.io.IOException;
import java.time.Duration;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Proves an incarnation's {@link Lease} between the node's other publishes: an empty message, confirmed, on a
 * channel of its own, whenever the lease went unproved for {@link #PERIOD}. It goes to the to-manager exchange under
 * a routing key nothing is bound to, so the broker drops it and confirms it at once; the confirm is the round trip
 * that proves the node still reaches the broker. Proofs this often are what lets the fence sit close under the
 * broker's own heartbeat timeout (docs/architecture.md, "Ending, fencing and losing deliveries") without firing
 * whenever a snapshot is a little late.
 *
 * <p>Threading: {@link #proveIfDue} runs on the {@link LeaseProver}'s thread only, and may block there while a
 * partition keeps the socket from taking more, until the fence severs it; confirms arrive on the broker client's
 * thread.
 */
final class LeaseProofs {
    /** How long the lease may go unproved before a proof goes out. */
    static final Duration PERIOD = Duration.ofMillis(200);
    /** The routing key of proofs on the to-manager exchange; bound to no queue, on purpose. */
    static final String ROUTING_KEY = "lease-proof";
    private static final byte[] EMPTY = new byte[0];

    private final Channel channel;
    private final String exchange;
    private final Lease lease;
    private final AMQP.BasicProperties properties;
    /** Sending time of each unconfirmed proof, by confirm sequence number. */
    private final ConcurrentSkipListMap<Long, Long> unconfirmed = new ConcurrentSkipListMap<>();

    /** Turns on confirms on {@code channel}, which serves proofs only, and proves {@code lease} through it. */
    LeaseProofs(Channel channel, String exchange, String user, Lease lease) throws IOException {
        this.channel = channel;
        this.exchange = exchange;
        this.lease = lease;
        this.properties = MessageProperties.BASIC.builder().userId(user).build();
        channel.confirmSelect();
        // a refusal is a round trip too: either proves the broker heard the node when the proof was sent
        channel.addConfirmListener(this::settle, this::settle);
    }

    /** Sends a proof when the lease went unproved for {@link #PERIOD}; nothing once lapsed, or while blocked. */
    void proveIfDue() {
        if (lease.lapsed() || lease.isBlocked() || lease.silence().compareTo(PERIOD) < 0) {
            return;
        }
        long seqNo = channel.getNextPublishSeqNo();
        unconfirmed.put(seqNo, lease.now());
        try {
            channel.basicPublish(exchange, ROUTING_KEY, properties, EMPTY);
        } catch (IOException | AlreadyClosedException e) {
            unconfirmed.remove(seqNo); // the session is going: its shutdown says why, and the engine acts on it
        }
    }

    private void settle(long seqNo, boolean multiple) {
        NavigableMap<Long, Long> settled = multiple ? unconfirmed.headMap(seqNo, true)
                : unconfirmed.subMap(seqNo, true, seqNo, true);
        settled.values().forEach(lease::proved);
        settled.clear();
    }
}
