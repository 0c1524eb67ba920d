package io.orchestr.node.core;

import java.time.Duration;

/** Durations as logs show them. */
public final class Durations {
    private Durations() {
    }

    /** {@code 1s}, {@code 0.2s}, {@code 1m} rather than {@code PT1S}. */
    public static String brief(Duration duration) {
        return duration.toString().substring(2).toLowerCase();
    }
}
