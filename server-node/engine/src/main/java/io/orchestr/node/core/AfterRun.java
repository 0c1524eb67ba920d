package io.orchestr.node.core;

import io.orchestr.shared.wire.ToManager.Outcome;

import java.time.Duration;
import java.util.Optional;

/**
 * What follows the end of a handler run: a restart after a delay, or the end of the job for good. The node's
 * {@link io.orchestr.node.RestartPolicy} has its say first; the job's own maximum of restarts can only end a job
 * the policy would restart.
 */
sealed interface AfterRun {

    /** Run the handler again after {@code delay}, under the same grant. */
    record Restart(Duration delay) implements AfterRun {
    }

    /** End the job for good, reporting {@code error} (null when there is nothing to report). */
    record End(Outcome outcome, String error) implements AfterRun {
    }

    /**
     * @param policyDelay the restart policy's answer: a delay, or empty when it gives up
     * @param maxRestarts the job's own maximum of restarts under one grant, null for none
     * @param restarts    how often the handler was restarted under the current grant so far
     * @param error       why the run failed (it threw, or hung), null when it returned
     */
    static AfterRun decide(Optional<Duration> policyDelay, Integer maxRestarts, int restarts, String error) {
        Outcome outcome = error == null ? Outcome.COMPLETED : Outcome.FAILED;
        if (policyDelay.isEmpty()) {
            return new End(outcome, error);
        }
        if (maxRestarts != null && restarts >= maxRestarts) {
            String reached = "maximum of " + maxRestarts + " restarts reached";
            return new End(outcome, error == null ? reached : error + "; " + reached);
        }
        return new Restart(policyDelay.get());
    }
}
