package io.orchestr.shared;

import java.time.Instant;
import java.util.Objects;

/**
 * How far a run says it is, as its handler last reported with {@code JobContext.progress}: in a node's snapshot
 * entry and in the job view.
 *
 * @param done    units of work done, as the handler counts them
 * @param total   units of work in all, as the handler counts them (0 or less when it does not know)
 * @param message what the handler is doing, in words; null when it said nothing; at most
 *                {@link Limits#PROGRESS_MESSAGE} characters
 * @param at      when the handler reported it, on its node's clock
 */
public record Progress(long done, long total, String message, Instant at) {
    public Progress {
        Objects.requireNonNull(at, "at");
        message = Limits.cut(message, Limits.PROGRESS_MESSAGE);
    }
}
