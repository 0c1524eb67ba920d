package io.orchestr.shared.wire;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.databind.JsonNode;
import io.orchestr.shared.RestartMode;
import io.orchestr.shared.json.WireCodec;

import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * One job on its pool's queue. The message is the node's right to hold a slot for the job; the node must still
 * claim the job from the manager before it runs the handler. Messages from managers that predate a field decode
 * with that field's default, and nodes that predate one ignore it.
 *
 * @param jobId            the job's id
 * @param name             the job's unique name
 * @param argument         free text handed to the handler, may be empty
 * @param type             which handler runs the job
 * @param pool             the pool whose queue carries the message
 * @param restart          when the node runs the handler again after it ended
 * @param maxRestarts      how often the node may restart the handler under one grant before the job ends for good;
 *                         null for no limit of the job's own
 * @param heartbeatTimeout how long a run may go without {@code heartbeat()} before the node treats it as hung,
 *                         stops it and counts a failure; null for no timeout. On the wire an ISO-8601 duration
 *                         ({@code "PT30S"})
 * @param params           the job's structured input, null for none
 * @param timeout          how long one run may last before the node stops it and counts a failure; null for no
 *                         limit. ISO-8601 on the wire
 * @param revision         how often the job was edited ({@code PATCH}) before this message was made: 0 for a job never
 *                         edited, and when absent (older managers). A message waiting in its queue may be older than
 *                         the job; a grant then carries the job as it is now ({@link ToNode.Grant#spec()})
 * @param group            the label the runs of the job's fan-out share ({@code JobContext.group()}); null for none
 *                         and from older managers
 * @param index            the job's place in its group ({@code JobContext.index()}); null outside a group
 */
public record JobMessage(UUID jobId, String name, String argument, String type, String pool, RestartMode restart,
                         Integer maxRestarts,
                         @JsonFormat(shape = JsonFormat.Shape.STRING) Duration heartbeatTimeout, JsonNode params,
                         @JsonFormat(shape = JsonFormat.Shape.STRING) Duration timeout, Long revision, String group,
                         Integer index) {
    public JobMessage {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(name, "name");
        argument = argument == null ? "" : argument;
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(pool, "pool");
        restart = restart == null ? RestartMode.ON_FAILURE : restart;
        if (maxRestarts != null && maxRestarts < 0) {
            throw new IllegalArgumentException("maxRestarts must not be negative, got " + maxRestarts);
        }
        requirePositive("heartbeatTimeout", heartbeatTimeout);
        requirePositive("timeout", timeout);
        params = WireCodec.orNull(params);
        revision = revision == null ? 0 : revision;
        if (index != null && index < 0) {
            throw new IllegalArgumentException("index must not be negative, got " + index);
        }
    }

    /** A job in no group. */
    public JobMessage(UUID jobId, String name, String argument, String type, String pool, RestartMode restart,
                      Integer maxRestarts, Duration heartbeatTimeout, JsonNode params, Duration timeout,
                      Long revision) {
        this(jobId, name, argument, type, pool, restart, maxRestarts, heartbeatTimeout, params, timeout, revision,
                null, null);
    }

    /** A job never edited. */
    public JobMessage(UUID jobId, String name, String argument, String type, String pool, RestartMode restart,
                      Integer maxRestarts, Duration heartbeatTimeout, JsonNode params, Duration timeout) {
        this(jobId, name, argument, type, pool, restart, maxRestarts, heartbeatTimeout, params, timeout, 0L);
    }

    /** A job without params or a run timeout, as managers that predate them send. */
    public JobMessage(UUID jobId, String name, String argument, String type, String pool, RestartMode restart,
                      Integer maxRestarts, Duration heartbeatTimeout) {
        this(jobId, name, argument, type, pool, restart, maxRestarts, heartbeatTimeout, null, null, 0L);
    }

    private static void requirePositive(String field, Duration value) {
        if (value != null && (value.isNegative() || value.isZero())) {
            throw new IllegalArgumentException(field + " must be positive, got " + value);
        }
    }
}
