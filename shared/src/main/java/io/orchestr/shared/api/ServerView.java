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
 * @param exec  whether the node runs {@code exec} jobs (false from managers that predate them)
 * @param roles the roles of {@code exec} work it serves; empty for every role (and from older managers)
 * @param types the job types it runs, sorted; null when it did not say (it, or the manager, predates types)
 */
public record ServerView(UUID id, String name, int maxWorkersCount, List<String> pools, NodeStatus status,
                         Instant createdAt, Instant modifyAt, Instant lastHeartbeatAt,
                         List<JobRef> orchestratedJobs,
                         @JsonProperty("isDeleted") boolean isDeleted, Boolean exec, List<String> roles,
                         List<String> types) {
    public ServerView {
        // wrappers, since the client's codec refuses a missing primitive: older managers send neither field
        exec = exec != null && exec;
        roles = roles == null ? List.of() : List.copyOf(roles);
        types = types == null ? null : List.copyOf(types);
    }
}
