package io.orchestr.shared.wire;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.orchestr.shared.RestartMode;

import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * One job on its pool's queue. The message is the node's right to hold a slot for the job; the node must still
 * claim the job from the manager before it runs the handler. Messages from managers that predate a field decode
 * with that field's default.
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
 */
public record JobMessage(UUID jobId, String name, String argument, String type, String pool, RestartMode restart,
                         Integer maxRestarts,
                         @JsonFormat(shape = JsonFormat.Shape.STRING) Duration heartbeatTimeout) {
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
        if (heartbeatTimeout != null && (heartbeatTimeout.isNegative() || heartbeatTimeout.isZero())) {
            throw new IllegalArgumentException("heartbeatTimeout must be positive, got " + heartbeatTimeout);
        }
    }
}
