package io.orchestr.node.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.orchestr.node.JobDataException;
import io.orchestr.shared.Causes;
import io.orchestr.shared.Limits;
import io.orchestr.shared.Progress;
import io.orchestr.shared.json.WireCodec;

import java.time.Clock;
import java.util.Optional;

/**
 * The data of one run that a handler reads and writes through its context: the job's params, the result it ends
 * the job with, and its progress. Shared by the engine's context and the test kit's, so that a handler's test
 * binds and refuses exactly as a node does. Thread-safe: the handler's threads write, the engine (or the test)
 * reads.
 */
public final class RunData {
    private static final WireCodec JSON = new WireCodec();

    private final String job;
    private final JsonNode params;
    private final Clock clock;
    private volatile JsonNode result;
    /** Why the last {@link #result} was refused; null unless it was. */
    private volatile String refusal;
    private volatile Progress progress;

    /**
     * @param job    how messages name the job ({@code job 'nightly' (id)})
     * @param params the job's params, null for none
     * @param clock  stamps progress reports
     */
    public RunData(String job, JsonNode params, Clock clock) {
        this.job = job;
        this.params = WireCodec.orNull(params);
        this.clock = clock;
    }

    /** See {@link io.orchestr.node.JobContext#params}. */
    public <T> T params(Class<T> type) {
        if (params == null) {
            return null;
        }
        try {
            return JSON.mapper().treeToValue(params, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new JobDataException("the params of " + job + " do not bind to " + type.getName() + ": "
                    + Causes.describe(e), e);
        }
    }

    /** See {@link io.orchestr.node.JobContext#result}. */
    public void result(Object value) {
        JsonNode tree;
        try {
            tree = WireCodec.orNull(JSON.mapper().valueToTree(value));
        } catch (IllegalArgumentException e) {
            throw refuse("the result of " + job + " (a " + value.getClass().getName() + ") does not serialize: "
                    + Causes.describe(e), e);
        }
        int size = tree == null ? 0 : JSON.encodedSize(tree);
        if (size > Limits.RESULT) {
            throw refuse("the result of " + job + " (a " + value.getClass().getName() + ") is " + size
                    + " bytes of JSON, more than the limit of " + Limits.RESULT, null);
        }
        refusal = null;
        result = tree;
    }

    /** See {@link io.orchestr.node.JobContext#progress}. */
    public void progress(long done, long total, String message) {
        progress = new Progress(done, total, message, clock.instant());
    }

    /** The result the handler gave last; empty when it gave none, or its last one was refused. */
    public Optional<JsonNode> result() {
        return Optional.ofNullable(result);
    }

    /**
     * Why the handler's last result was refused, if it was: a run that returns after that fails with this
     * message, even if the handler caught the exception, since its job must not complete without the result.
     */
    public Optional<String> refusal() {
        return Optional.ofNullable(refusal);
    }

    /** The progress the handler reported last; null before its first report. */
    public Progress progress() {
        return progress;
    }

    private JobDataException refuse(String why, Throwable cause) {
        result = null;
        refusal = why;
        return new JobDataException(why, cause);
    }
}
