package io.orchestr.node.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Exponential backoff: {@code first}, doubling with every attempt, never more than {@code max}.
 *
 * @param first the delay before the first retry (attempt 0)
 * @param max   the longest delay
 */
public record Backoff(Duration first, Duration max) {
    /**
     * Claims sent one by one (to managers that predate batches) without an answer, and claims answered {@code
     * wait} (the owner seemed alive): 200 ms doubling to 5 s, for ever. A claim answered {@code wait} is decided
     * again when the owner answers the managers' question, or when repeated; the claim window keeps the repeats of
     * a big backlog bounded.
     */
    public static final Backoff CLAIM = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5));
    /**
     * Claims sent in a batch without an answer: 10 s doubling to 60 s. Claims are persistent in a durable queue and
     * a manager acks one only after it answered, so only a reply lost on its way (replies go out without confirms)
     * needs a repeat; repeating a batch that busy managers are still deciding only adds to their backlog (the
     * simulated fleet of bench/README.md sent several claims per job with a first repeat at 2 s).
     */
    public static final Backoff UNANSWERED_BATCH = new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(60));
    /** Reconnecting to the broker: 1 s doubling to 30 s. */
    public static final Backoff RECONNECT = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

    public Backoff {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(max, "max");
        if (first.isNegative() || first.isZero()) {
            throw new IllegalArgumentException("backoff must start above zero, got " + first);
        }
        if (max.compareTo(first) < 0) {
            throw new IllegalArgumentException("backoff maximum " + max + " is below its first delay " + first);
        }
    }

    /** The delay before retry number {@code attempt}, counted from 0. */
    public Duration delay(int attempt) {
        Duration delay = first;
        for (int i = 0; i < attempt && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) < 0 ? delay : max;
    }
}
