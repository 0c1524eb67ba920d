package io.orchestr.shared.api;

import io.orchestr.shared.JobStatus;

import java.time.Instant;
import java.util.UUID;

/** A job as the REST API shows it. {@code serverId} and {@code serverName} name the node that runs it, if any. */
public record JobView(UUID id, String name, String argument, String type, String pool, JobStatus status,
                      UUID serverId, String serverName, Instant createdAt, Instant modifiedAt,
                      Instant startedAt, Instant lastHeartbeatAt, int restarts, String lastError) {
}
