package io.orchestr.node;

import io.orchestr.node.core.Backoff;
import io.orchestr.node.core.Durations;
import io.orchestr.shared.RestartMode;

import java.time.Duration;
import java.util.Optional;

/**
 * Decides whether a node runs a job's handler again after it ended, and after how long. A restart happens on the
 * same node under the same grant (and epoch); giving up ends the job for good, which the node reports to the
 * manager ({@code Completed} after a return, {@code Failed} after a throw).
 *
 * <p>A job's own maximum of restarts, from its job message, applies on top: it ends a job for good when the policy
 * would restart it once more than the maximum allows. That is the one place a limit of restarts lives; a policy
 * that gives up by itself (returns empty) ends the job for good as well.
 *
 * <p>Stock implementations are nested here; {@link #defaults()} is the one a node uses unless told otherwise.
 * Threading: called on the node's engine thread; implementations must be quick and must not block.
 */
@FunctionalInterface
public interface RestartPolicy {

    /** How a run of the handler ended. */
    enum Ending {
        /** The handler returned. */
        RETURNED,
        /** The handler threw, or the node stopped it as hung (no heartbeat within its job's heartbeat timeout). */
        THREW
    }

    /**
     * @param mode     the job's restart mode, from its job message
     * @param ending   how the run that just ended finished
     * @param restarts how often the handler was already restarted under the current grant
     * @return the delay before the next run, or empty to end the job for good
     */
    Optional<Duration> restartDelay(RestartMode mode, Ending ending, int restarts);

    /** Restarts whenever the job's mode asks for it, 1 s doubling to 60 s. */
    static RestartPolicy defaults() {
        return new ExponentialBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60));
    }

    /**
     * What a job's restart mode asks for: {@code always} restarts after any ending, {@code on-failure} after a
     * throw, {@code never} never.
     */
    static boolean modeAsksForRestart(RestartMode mode, Ending ending) {
        return switch (mode) {
            case ALWAYS -> true;
            case ON_FAILURE -> ending == Ending.THREW;
            case NEVER -> false;
        };
    }

    /** Restarts whenever the mode asks for it, after {@code first} doubling with every restart up to {@code max}. */
    final class ExponentialBackoff implements RestartPolicy {
        private final Backoff backoff;

        public ExponentialBackoff(Duration first, Duration max) {
            this.backoff = new Backoff(first, max);
        }

        @Override
        public Optional<Duration> restartDelay(RestartMode mode, Ending ending, int restarts) {
            return modeAsksForRestart(mode, ending) ? Optional.of(backoff.delay(restarts)) : Optional.empty();
        }

        @Override
        public String toString() {
            return "restart as the job's mode asks, after " + Durations.brief(backoff.first()) + " doubling to "
                    + Durations.brief(backoff.max());
        }
    }
}
