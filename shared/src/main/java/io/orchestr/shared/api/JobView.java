package io.orchestr.shared.api;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.databind.JsonNode;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.Progress;
import io.orchestr.shared.json.WireCodec;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A job as the REST API shows it. {@code serverId} and {@code serverName} name the node that runs it, if any.
 * {@code maxRestarts}, {@code heartbeatTimeout}, {@code timeout} and {@code params} are null when the job was
 * created without them; the durations are ISO-8601 ({@code "PT30S"}) in JSON. {@code result} is what the handler
 * ended the job with ({@code JobContext.result}), null until then or when it gave none; {@code progress} is the
 * last progress its runs reported, null when none did; {@code checkpoint} is the last state
 * a run stored ({@code JobContext.checkpoint}) and {@code checkpointAt} when the manager stored it, both null
 * before the first. {@code reason} says in words why the job waits, is paused, or what its node is asked to do
 * (a pause, cancel, restart or move under way); null when there is nothing to say. {@code group}, {@code index} and
 * {@code parentId} are null for a job created without them. {@code concurrencyKey} and {@code concurrencyLimit}
 * (the limit the job asked for; its key keeps that of its first active job) are null for a job without a key; a
 * job that waits for a place of its key says so in {@code reason}. {@code sticky}: rebalancing never moves the job.
 */
public record JobView(UUID id, String name, String argument, String type, String pool, JobStatus status,
                      UUID serverId, String serverName, Instant createdAt, Instant modifiedAt,
                      Instant startedAt, Instant lastHeartbeatAt, int restarts, String lastError,
                      Integer maxRestarts, @JsonFormat(shape = JsonFormat.Shape.STRING) Duration heartbeatTimeout,
                      @JsonFormat(shape = JsonFormat.Shape.STRING) Duration timeout, JsonNode params,
                      JsonNode result, Progress progress, JsonNode checkpoint, Instant checkpointAt,
                      String reason, String group, Integer index, UUID parentId, String concurrencyKey,
                      Integer concurrencyLimit, boolean sticky) {
    public JobView {
        params = WireCodec.orNull(params);
        result = WireCodec.orNull(result);
        checkpoint = WireCodec.orNull(checkpoint);
    }
}
