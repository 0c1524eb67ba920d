package io.orchestr.bench;

import java.util.Collection;

/**
 * The spread of a set of samples. Percentiles use the nearest-rank method, so every figure is a value that was
 * actually measured (with few samples, p99 is the maximum).
 */
record Stats(int n, double min, double median, double p99, double max) {

    static Stats of(Collection<? extends Number> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        double[] sorted = samples.stream().mapToDouble(Number::doubleValue).sorted().toArray();
        return new Stats(sorted.length, sorted[0], percentile(sorted, 50), percentile(sorted, 99),
                sorted[sorted.length - 1]);
    }

    /**
     * The nearest-rank {@code p}-th percentile of ascending {@code sorted}: the smallest value with p % of the
     * samples at or below it.
     */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
