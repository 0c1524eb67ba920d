package io.orchestr.shared.api;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.orchestr.shared.JobStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A job as the REST API shows it. {@code serverId} and {@code serverName} name the node that runs it, if any.
 * {@code maxRestarts} and {@code heartbeatTimeout} are null when the job was created without them;
 * {@code heartbeatTimeout} is an ISO-8601 duration ({@code "PT30S"}) in JSON.
 */
public record JobView(UUID id, String name, String argument, String type, String pool, JobStatus status,
                      UUID serverId, String serverName, Instant createdAt, Instant modifiedAt,
                      Instant startedAt, Instant lastHeartbeatAt, int restarts, String lastError,
                      Integer maxRestarts, @JsonFormat(shape = JsonFormat.Shape.STRING) Duration heartbeatTimeout) {
}
