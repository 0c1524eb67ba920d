package io.orchestr.manager.feed;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the feed is in the job events' ids: the highest read, and the lower ones not read yet. An event's id is
 * drawn when its transaction inserts it, not when it commits, so a reader can see id 11 before id 10 commits; the
 * cursor remembers 10 as missing and asks for it again for {@link #PATIENCE}, after which it is taken for a
 * transaction that rolled back (or an id the database skipped) and forgotten. At most {@link #MAX_MISSING} ids are
 * remembered; the lowest go first.
 */
final class FeedCursor {
    /** How long a skipped id is asked for again: longer than any transaction that records events should last. */
    static final Duration PATIENCE = Duration.ofSeconds(30);
    static final int MAX_MISSING = 1000;

    private long head;
    private final Map<Long, Instant> missing = new LinkedHashMap<>();

    FeedCursor(long head) {
        this.head = head;
    }

    /** The highest id read. */
    long head() {
        return head;
    }

    /** The ids below the head not read yet, to ask for again. */
    Set<Long> missing() {
        return Set.copyOf(missing.keySet());
    }

    /**
     * Moves past {@code ids}, the ids just read in ascending order: the gaps between them and the old head become
     * missing, the missing ones among them are found, and those missing for longer than {@link #PATIENCE} are
     * forgotten.
     */
    void advance(List<Long> ids, Instant now) {
        missing.values().removeIf(since -> since.plus(PATIENCE).isBefore(now));
        for (long id : ids) {
            if (id <= head) {
                missing.remove(id);
                continue;
            }
            for (long skipped = Math.max(head + 1, id - MAX_MISSING); skipped < id; skipped++) {
                missing.put(skipped, now);
            }
            head = id;
        }
        while (missing.size() > MAX_MISSING) {
            missing.remove(missing.keySet().iterator().next());
        }
    }
}
