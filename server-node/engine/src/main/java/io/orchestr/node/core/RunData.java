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
 * the job with, its progress, and its checkpoints. Shared by the engine's context and the test kit's, so that a
 * handler's test binds and refuses exactly as a node does. Thread-safe: the handler's threads write, the engine (or
 * the test) reads.
 */
public final class RunData {
    private static final WireCodec JSON = new WireCodec();

    private final String job;
    private final JsonNode params;
    private final Clock clock;
    private final CheckpointStore checkpoints;
    private volatile JsonNode lastCheckpoint;
    private volatile JsonNode result;
    /** Why the last {@link #result} was refused; null unless it was. */
    private volatile String refusal;
    private volatile Progress progress;

    /**
     * Where a run's checkpoints go: the node sends them to the managers and waits for their answer, the test kit
     * keeps them.
     */
    @FunctionalInterface
    public interface CheckpointStore {
        /**
         * Stores {@code state}, JSON within the limit, and returns once it is stored.
         *
         * @throws io.orchestr.node.CheckpointException when it was not stored
         */
        void store(JsonNode state);
    }

    /**
     * @param job            how messages name the job ({@code job 'nightly' (id)})
     * @param params         the job's params, null for none
     * @param lastCheckpoint the job's last checkpoint when the run starts, null for none
     * @param checkpoints    stores the run's checkpoints
     * @param clock          stamps progress reports
     */
    public RunData(String job, JsonNode params, JsonNode lastCheckpoint, CheckpointStore checkpoints, Clock clock) {
        this.job = job;
        this.params = WireCodec.orNull(params);
        this.lastCheckpoint = WireCodec.orNull(lastCheckpoint);
        this.checkpoints = checkpoints;
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
        try {
            result = encode(value, "result", Limits.RESULT);
            refusal = null;
        } catch (JobDataException e) {
            result = null;
            refusal = e.getMessage();
            throw e;
        }
    }

    /**
     * See {@link io.orchestr.node.JobContext#checkpoint}. Calls from several threads take turns, so that a run has
     * one checkpoint in flight at a time and {@link #lastCheckpoint} is the last one stored.
     */
    public void checkpoint(Object state) {
        if (state == null) {
            throw new JobDataException("the checkpoint of " + job + " is null: a checkpoint needs a state", null);
        }
        JsonNode tree = encode(state, "checkpoint", Limits.CHECKPOINT);
        synchronized (checkpoints) {
            checkpoints.store(tree);
            lastCheckpoint = tree;
        }
    }

    /** See {@link io.orchestr.node.JobContext#lastCheckpoint}. */
    public <T> Optional<T> lastCheckpoint(Class<T> type) {
        JsonNode state = lastCheckpoint;
        if (state == null) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(JSON.mapper().treeToValue(state, type));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new JobDataException("the last checkpoint of " + job + " does not bind to " + type.getName() + ": "
                    + Causes.describe(e), e);
        }
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

    /** {@code value} as JSON (null for none) of at most {@code limit} bytes; {@code what} names it in the refusal. */
    private JsonNode encode(Object value, String what, int limit) {
        JsonNode tree;
        try {
            tree = WireCodec.orNull(JSON.mapper().valueToTree(value));
        } catch (IllegalArgumentException e) {
            throw new JobDataException("the " + what + " of " + job + " (a " + value.getClass().getName()
                    + ") does not serialize: " + Causes.describe(e), e);
        }
        int size = tree == null ? 0 : JSON.encodedSize(tree);
        if (size > limit) {
            throw new JobDataException("the " + what + " of " + job + " (a " + value.getClass().getName() + ") is "
                    + size + " bytes of JSON, more than the limit of " + limit, null);
        }
        return tree;
    }
}
