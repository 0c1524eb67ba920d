package io.orchestr.bench;

import java.util.List;

/**
 * One measured figure of a scenario: what it is, in which unit, its spread, and the target it is held against.
 *
 * @param target the target for this figure, or empty when there is none
 */
record Figure(String name, String unit, Stats stats, String target, List<Double> samples) {

    Figure {
        samples = List.copyOf(samples);
    }

    static Figure of(String name, String unit, List<Double> samples, String target) {
        return new Figure(name, unit, Stats.of(samples), target, samples);
    }

    static Figure of(String name, String unit, List<Double> samples) {
        return of(name, unit, samples, "");
    }

    /** A figure measured once, such as a rate over a whole run. */
    static Figure single(String name, String unit, double value, String target) {
        return of(name, unit, List.of(value), target);
    }
}
