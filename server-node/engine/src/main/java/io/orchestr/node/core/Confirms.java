package io.orchestr.node.core;

import io.orchestr.node.NodeListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;

/**
 * The publishes of one incarnation that the broker has not confirmed yet, each with what to do once it has.
 * Every confirm, positive or not, is a round trip to the broker and renews the {@link Lease} at once, on the
 * thread that delivers it; what the publish asked to do afterwards runs on the engine thread.
 *
 * <p>Threading: {@link #published} and {@link #forget} on the engine thread, before and after the publish;
 * {@link #confirmed} on the broker client's thread; {@link #confirmedAll} on the engine thread.
 */
final class Confirms {
    private static final Logger LOG = LoggerFactory.getLogger(Confirms.class);

    private record Pending(long sentNanos, String what, Runnable onConfirmed) {
    }

    private final ConcurrentNavigableMap<Long, Pending> pending = new ConcurrentSkipListMap<>();
    private final Lease lease;
    private final Executor engine;
    private final NodeListener listener;

    /** {@code engine} runs the publishes' follow-ups on the engine thread, and tells {@code listener} the latency. */
    Confirms(Lease lease, Executor engine, NodeListener listener) {
        this.lease = lease;
        this.engine = engine;
        this.listener = listener;
    }

    /** Registered before the publish goes out, so that its confirm always finds it. */
    void published(long seqNo, long sentNanos, String what, Runnable onConfirmed) {
        pending.put(seqNo, new Pending(sentNanos, what, onConfirmed));
    }

    /** The publish never went out (its channel was gone). */
    void forget(long seqNo) {
        pending.remove(seqNo);
    }

    /** The broker confirmed {@code seqNo} (and every earlier one when {@code multiple}); negative when it refused. */
    void confirmed(long seqNo, boolean multiple, boolean positive) {
        ConcurrentNavigableMap<Long, Pending> done = multiple
                ? pending.headMap(seqNo, true)
                : pending.subMap(seqNo, true, seqNo, true);
        for (Map.Entry<Long, Pending> entry = done.pollFirstEntry(); entry != null; entry = done.pollFirstEntry()) {
            Pending publish = entry.getValue();
            lease.proved(publish.sentNanos());
            Duration latency = Duration.ofNanos(lease.now() - publish.sentNanos());
            engine.execute(() -> {
                listener.confirmed(latency);
                settle(publish, positive);
            });
        }
    }

    /** Every publish so far is confirmed (the engine thread waited for it): settle them all now. */
    void confirmedAll() {
        for (Map.Entry<Long, Pending> entry = pending.pollFirstEntry(); entry != null;
             entry = pending.pollFirstEntry()) {
            lease.proved(entry.getValue().sentNanos());
            listener.confirmed(Duration.ofNanos(lease.now() - entry.getValue().sentNanos()));
            settle(entry.getValue(), true);
        }
    }

    private static void settle(Pending publish, boolean positive) {
        if (!positive) {
            LOG.warn("The broker refused the {}; the managers will go by the next snapshot instead", publish.what());
        }
        publish.onConfirmed().run();
    }
}
