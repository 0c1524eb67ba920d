package io.orchestr.node.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The publishes of one incarnation that the broker has not confirmed yet, each with what to do once it has.
 * Every confirm, positive or not, is a round trip to the broker and feeds the {@link FenceWatch}. Engine-confined.
 */
final class Confirms {
    private static final Logger LOG = LoggerFactory.getLogger(Confirms.class);

    private record Pending(Instant sentAt, String what, Runnable onConfirmed) {
    }

    private final NavigableMap<Long, Pending> pending = new TreeMap<>();
    private final FenceWatch fence;

    Confirms(FenceWatch fence) {
        this.fence = fence;
    }

    void published(long seqNo, Instant sentAt, String what, Runnable onConfirmed) {
        pending.put(seqNo, new Pending(sentAt, what, onConfirmed));
    }

    /** The broker confirmed {@code seqNo} (and every earlier one when {@code multiple}); negative when it refused. */
    void confirmed(long seqNo, boolean multiple, boolean positive) {
        NavigableMap<Long, Pending> done = multiple
                ? pending.headMap(seqNo, true)
                : pending.subMap(seqNo, true, seqNo, true);
        while (!done.isEmpty()) {
            settle(done.pollFirstEntry().getValue(), positive);
        }
    }

    /** Every publish so far is confirmed (the caller waited for it): settle them all now. */
    void confirmedAll() {
        while (!pending.isEmpty()) {
            settle(pending.pollFirstEntry().getValue(), true);
        }
    }

    private void settle(Pending publish, boolean positive) {
        fence.proved(publish.sentAt());
        if (!positive) {
            LOG.warn("The broker refused the {}; the managers will go by the next snapshot instead", publish.what());
        }
        publish.onConfirmed().run();
    }
}
