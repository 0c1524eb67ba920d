package io.orchestr.bench;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds; the benchmarks' only way of waiting. */
final class Await {
    private Await() {
    }

    /**
     * Polls {@code condition} every {@code poll} until it holds; returns the wall-clock time (epoch millis) at
     * which it was first seen to hold.
     *
     * @throws BenchException when {@code timeout} passes first, naming {@code what}
     */
    static long until(String what, Duration timeout, Duration poll, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return System.currentTimeMillis();
            }
            if (System.nanoTime() > deadline) {
                throw new BenchException("timed out after " + timeout + " waiting for " + what);
            }
            sleep(poll);
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        }
    }
}
