package io.orchestr.manager.quarantine;

import java.time.Duration;

/** The words of a quarantine, as the job's {@code reason} and history give them. */
public final class Quarantine {
    private Quarantine() {
    }

    /** {@code "quarantined: its runs ended with their node's death 3 times in 10 min"}. */
    public static String reason(int deaths, Duration window) {
        return "quarantined: " + cause(deaths, window);
    }

    /** {@code "its runs ended with their node's death 3 times in 10 min"}. */
    static String cause(int deaths, Duration window) {
        return "its runs ended with their node's death " + deaths + " times in " + words(window);
    }

    /** A window in words: {@code 10 min}, {@code 90 s}. */
    static String words(Duration window) {
        long seconds = window.toSeconds();
        return seconds % 60 == 0 ? seconds / 60 + " min" : seconds + " s";
    }
}
