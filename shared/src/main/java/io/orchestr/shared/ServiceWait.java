package io.orchestr.shared;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Waits at startup for a service that does not answer yet (the broker, the database), so that managers and nodes
 * start in any order: {@link #until} tries again and again, {@value #FIRST_MILLIS} ms apart at first, doubling up to
 * {@value #MAX_SECONDS} s, each delay drawn at random from its upper half (so that a fleet started together does not
 * knock at once), and says in one line what it waits for: at the first failure, then at most every
 * {@value #REPEAT_SECONDS} s.
 */
public final class ServiceWait {
    static final long FIRST_MILLIS = 500;
    static final long MAX_SECONDS = 15;
    static final long REPEAT_SECONDS = 30;

    /** An attempt at the service; it throws while the service does not answer. */
    @FunctionalInterface
    public interface Attempt<T> {
        T call() throws Exception;
    }

    /** How the wait pauses between attempts; tests pass one that records the pauses. */
    @FunctionalInterface
    interface Pause {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** Milliseconds since some origin, for the log's pace; tests pass one that follows their pauses. */
    @FunctionalInterface
    interface Ticker {
        long millis();
    }

    private final String service;
    private final Consumer<String> log;
    private final Consumer<String> done;
    private final Pause pause;
    private final Ticker ticker;

    ServiceWait(String service, Consumer<String> log, Consumer<String> done, Pause pause, Ticker ticker) {
        this.service = Objects.requireNonNull(service, "service");
        this.log = Objects.requireNonNull(log, "log");
        this.done = Objects.requireNonNull(done, "done");
        this.pause = pause;
        this.ticker = ticker;
    }

    /**
     * A wait for {@code service}, named as the log line says it ({@code "the broker at 127.0.0.1:5672"}), whose
     * lines of waiting go to {@code log} (a warning) and whose line of the end of a wait goes to {@code done}.
     */
    public static ServiceWait of(String service, Consumer<String> log, Consumer<String> done) {
        return new ServiceWait(service, log, done, duration -> Thread.sleep(duration.toMillis()),
                () -> System.nanoTime() / 1_000_000);
    }

    /**
     * Calls {@code attempt} until it returns, and returns what it returned. An attempt that fails at once answers
     * at once: there is no line and no pause then.
     *
     * @throws InterruptedException when the thread is interrupted while it waits (the process stops)
     */
    public <T> T until(Attempt<T> attempt) throws InterruptedException {
        long start = ticker.millis();
        long lastSaid = 0;
        Duration delay = Duration.ofMillis(FIRST_MILLIS);
        for (int attempts = 1; ; attempts++) {
            try {
                T answer = attempt.call();
                if (attempts > 1) {
                    done.accept("Done waiting for " + service + ": it answers after " + seconds(ticker.millis() - start)
                            + " and " + attempts + " attempts");
                }
                return answer;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                long now = ticker.millis();
                if (attempts == 1 || now - lastSaid >= REPEAT_SECONDS * 1_000) {
                    log.accept((attempts == 1 ? "Waiting for " : "Still waiting for ") + service + " ("
                            + Causes.describe(e) + "; " + attempts + (attempts == 1 ? " attempt" : " attempts")
                            + " in " + seconds(now - start) + "): trying again up to " + MAX_SECONDS
                            + " s apart; not ready meanwhile");
                    lastSaid = now;
                }
            }
            long upper = delay.toMillis();
            pause.sleep(Duration.ofMillis(upper / 2 + ThreadLocalRandom.current().nextLong(upper / 2 + 1)));
            Duration doubled = delay.multipliedBy(2);
            delay = doubled.toSeconds() >= MAX_SECONDS ? Duration.ofSeconds(MAX_SECONDS) : doubled;
        }
    }

    private static String seconds(long millis) {
        return millis / 1_000 + " s";
    }
}
