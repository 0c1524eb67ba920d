package io.orchestr.node.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.orchestr.shared.json.WireCodec;

import java.time.Duration;
import java.util.Optional;

/**
 * How a handler's run ended, as the node would see it: it returned (the job completes, unless its restart mode is
 * {@code always}) or it threw (a failure, which the node's restart policy handles).
 *
 * @param error       what the handler threw; empty when it returned. A result the context refused (too large, or
 *                    not serializable) shows here as an {@link AssertionError} with the refusal, since the run
 *                    fails on a node then
 * @param cancelled   whether the run had been asked to stop before it ended
 * @param interrupted whether its thread had been interrupted before it ended
 * @param duration    how long the run took, from its start to its end
 * @param result      the result the run ended with ({@code JobContext.result}), as JSON, whether it returned or
 *                    threw (a node shows it when the run ends the job); empty when it gave none
 */
public record Ending(Optional<Throwable> error, boolean cancelled, boolean interrupted, Duration duration,
                     Optional<JsonNode> result) {
    private static final WireCodec JSON = new WireCodec();

    /** True when the handler returned. */
    public boolean returned() {
        return error.isEmpty();
    }

    /** True when the handler threw. */
    public boolean threw() {
        return error.isPresent();
    }

    /**
     * The result read as {@code type}, as the client's {@code awaitResult} reads it.
     *
     * @throws AssertionError when the run gave no result, or it does not bind to {@code type}
     */
    public <R> R result(Class<R> type) {
        JsonNode json = result.orElseThrow(() -> new AssertionError("the run gave no result"
                + error.map(e -> "; it threw " + e).orElse("")));
        try {
            return JSON.mapper().treeToValue(json, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new AssertionError("the result " + json + " does not bind to " + type.getName(), e);
        }
    }
}
