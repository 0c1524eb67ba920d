package io.orchestr.bench;

import java.util.OptionalDouble;

/**
 * The manager's snapshot timing, read from a Micrometer timer it exports with {@code snapshot} in its name
 * ({@code <name>_seconds_count}, {@code <name>_seconds_sum} and {@code <name>_seconds_max}). The timer has no
 * histogram, so only the count, the mean and the recent maximum can be read; no percentile of single snapshots.
 */
final class SnapshotTimer {
    private SnapshotTimer() {
    }

    /** The mean time per recorded snapshot between two scrapes, in milliseconds; empty without such a timer. */
    static OptionalDouble meanMillis(PrometheusText before, PrometheusText after) {
        String count = countName(after);
        if (count == null) {
            return OptionalDouble.empty();
        }
        double recorded = after.sum(count, "") - before.sum(count, "");
        if (recorded <= 0) {
            return OptionalDouble.empty();
        }
        String sum = count.replace("_seconds_count", "_seconds_sum");
        return OptionalDouble.of((after.sum(sum, "") - before.sum(sum, "")) / recorded * 1000);
    }

    /** How many snapshots the manager applied between two scrapes (0 without such a timer). */
    static double applied(PrometheusText before, PrometheusText after) {
        String count = countName(after);
        return count == null ? 0 : after.sum(count, "") - before.sum(count, "");
    }

    /**
     * The longest snapshot of the timer's recent past (Micrometer's decaying maximum, a few minutes) at this scrape,
     * in milliseconds; empty without such a timer.
     */
    static OptionalDouble recentMaxMillis(PrometheusText scrape) {
        String count = countName(scrape);
        if (count == null) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(scrape.sum(count.replace("_seconds_count", "_seconds_max"), "") * 1000);
    }

    private static String countName(PrometheusText scrape) {
        return scrape.namesContaining("snapshot").stream().filter(name -> name.endsWith("_seconds_count"))
                .findFirst().orElse(null);
    }
}
