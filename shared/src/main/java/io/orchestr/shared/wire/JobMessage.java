package io.orchestr.shared.wire;

import io.orchestr.shared.RestartMode;

import java.util.Objects;
import java.util.UUID;

/**
 * One job on its pool's queue. The message is the node's right to hold a slot for the job; the node must still
 * claim the job from the manager before it runs the handler.
 *
 * @param jobId    the job's id
 * @param name     the job's unique name
 * @param argument free text handed to the handler, may be empty
 * @param type     which handler runs the job
 * @param pool     the pool whose queue carries the message
 * @param restart  when the node runs the handler again after it ended
 */
public record JobMessage(UUID jobId, String name, String argument, String type, String pool, RestartMode restart) {
    public JobMessage {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(name, "name");
        argument = argument == null ? "" : argument;
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(pool, "pool");
        restart = restart == null ? RestartMode.ON_FAILURE : restart;
    }
}
