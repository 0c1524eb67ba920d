package io.orchestr.bench;

import java.util.OptionalDouble;

/**
 * The manager's snapshot timing, read from a Micrometer timer it exports with {@code snapshot} in its name
 * ({@code <name>_seconds_count} and {@code <name>_seconds_sum}).
 */
final class SnapshotTimer {
    private SnapshotTimer() {
    }

    /** The mean time per recorded snapshot between two scrapes, in milliseconds; empty without such a timer. */
    static OptionalDouble meanMillis(PrometheusText before, PrometheusText after) {
        for (String count : after.namesContaining("snapshot")) {
            if (!count.endsWith("_seconds_count")) {
                continue;
            }
            String sum = count.replace("_seconds_count", "_seconds_sum");
            double recorded = after.sum(count, "") - before.sum(count, "");
            if (recorded > 0) {
                return OptionalDouble.of((after.sum(sum, "") - before.sum(sum, "")) / recorded * 1000);
            }
        }
        return OptionalDouble.empty();
    }
}
