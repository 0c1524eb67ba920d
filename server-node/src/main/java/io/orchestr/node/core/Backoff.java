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
     * Claims without an answer: 200 ms doubling to 5 s, for ever. A claim answered {@code wait} (the owner seemed
     * alive) is decided again only when repeated, which makes the first repeat the failover time of such jobs;
     * the claim window keeps the repeats of a big backlog bounded.
     */
    public static final Backoff CLAIM = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5));
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
