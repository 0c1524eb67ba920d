package io.orchestr.node.testkit;

import java.time.Duration;
import java.util.Optional;

/**
 * How a handler's run ended, as the node would see it: it returned (the job completes, unless its restart mode is
 * {@code always}) or it threw (a failure, which the node's restart policy handles).
 *
 * @param error       what the handler threw; empty when it returned
 * @param cancelled   whether the run had been asked to stop before it ended
 * @param interrupted whether its thread had been interrupted before it ended
 * @param duration    how long the run took, from its start to its end
 */
public record Ending(Optional<Throwable> error, boolean cancelled, boolean interrupted, Duration duration) {
    /** True when the handler returned. */
    public boolean returned() {
        return error.isEmpty();
    }

    /** True when the handler threw. */
    public boolean threw() {
        return error.isPresent();
    }
}
