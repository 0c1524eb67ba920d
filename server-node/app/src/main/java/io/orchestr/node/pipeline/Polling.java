package io.orchestr.node.pipeline;

import io.orchestr.client.OrchestratorException;
import io.orchestr.node.JobContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * How a controller's run waits and calls the manager: between polls it waits with a backoff from
 * {@link #FIRST_WAIT} to {@link #LONGEST_WAIT}, and a call the manager did not answer, or answered with a 5xx, is
 * made again after the next wait, since the manager may be restarting. Every wait ends early when the run is asked
 * to stop ({@link JobContext#awaitCancellation}), which throws {@link Stopped}. Not thread-safe: one run's thread.
 */
final class Polling {
    static final Duration FIRST_WAIT = Duration.ofMillis(100);
    static final Duration LONGEST_WAIT = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(Polling.class);

    private final JobContext ctx;
    private Duration wait = FIRST_WAIT;

    Polling(JobContext ctx) {
        this.ctx = ctx;
    }

    /** The run was asked to stop (cancel, pause, move, hand-back, fence) while it waited. */
    static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }

    /**
     * {@code call}'s answer, made again after each wait while the manager does not answer or answers with a 5xx.
     *
     * @throws OrchestratorException the manager's refusal (4xx)
     * @throws Stopped               when the run is asked to stop first
     */
    <T> T call(Supplier<T> call) {
        while (true) {
            try {
                return call.get();
            } catch (OrchestratorException e) {
                if (e.status() != 0 && e.status() < 500) {
                    throw e;
                }
                LOG.warn("Job '{}' ({}) could not reach the manager ({}); trying again in {} ms", ctx.jobName(),
                        ctx.jobId(), e.getMessage(), wait.toMillis());
                pause();
            }
        }
    }

    /** Polls {@code done} through {@link #call} until it is true, waiting between polls. */
    void until(BooleanSupplier done) {
        restart();
        while (!call(done::getAsBoolean)) {
            pause();
        }
    }

    /** Starts the backoff again from {@link #FIRST_WAIT}: something new is being waited for. */
    void restart() {
        wait = FIRST_WAIT;
    }

    /**
     * Waits the next wait of the backoff, heartbeating the run first.
     *
     * @throws Stopped when the run is asked to stop first
     */
    void pause() {
        ctx.heartbeat();
        if (ctx.awaitCancellation(wait)) {
            throw new Stopped();
        }
        Duration doubled = wait.multipliedBy(2);
        wait = doubled.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : doubled;
    }
}
