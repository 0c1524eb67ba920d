package io.orchestr.shared.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.orchestr.shared.NodeStatus;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A server node incarnation as the REST API shows it, with the field names OrchestratR uses. The id is the
 * incarnation's: a node that reconnects shows up as a new server.
 *
 * @param exec  whether the node runs {@code exec} jobs
 * @param roles the roles of {@code exec} work it serves; empty for every role
 */
public record ServerView(UUID id, String name, int maxWorkersCount, List<String> pools, NodeStatus status,
                         Instant createdAt, Instant modifyAt, Instant lastHeartbeatAt,
                         List<JobRef> orchestratedJobs,
                         @JsonProperty("isDeleted") boolean isDeleted, boolean exec, List<String> roles) {
    public ServerView {
        roles = roles == null ? List.of() : List.copyOf(roles);
    }
}
