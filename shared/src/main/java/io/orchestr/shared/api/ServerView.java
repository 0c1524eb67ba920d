package io.orchestr.shared.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.orchestr.shared.NodeStatus;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A server node incarnation as the REST API shows it, with the field names OrchestratR uses. The id is the
 * incarnation's: a node that reconnects shows up as a new server.
 */
public record ServerView(UUID id, String name, int maxWorkersCount, List<String> pools, NodeStatus status,
                         Instant createdAt, Instant modifyAt, Instant lastHeartbeatAt,
                         List<JobRef> orchestratedJobs,
                         @JsonProperty("isDeleted") boolean isDeleted) {
}
