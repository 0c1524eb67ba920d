package io.orchestr.manager.job;

import io.orchestr.manager.InvalidRequestException;
import io.orchestr.manager.store.ServerEntity;
import io.orchestr.manager.store.ServerRepository;
import io.orchestr.shared.Limits;
import io.orchestr.shared.work.RoleRun;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * What the connected nodes that run {@code exec} jobs offer, by their last snapshots (the pools and roles they
 * serve), and the checks of exec work's roles against it at creation.
 */
@ApplicationScoped
class ExecNodes {
    private final ServerRepository servers;

    ExecNodes(ServerRepository servers) {
        this.servers = servers;
    }

    /** The pools that have an {@code Active} node running {@code exec} jobs (a drained one takes none). */
    Set<String> pools() {
        return servers.activeExecNodes().stream().flatMap(server -> server.poolList().stream())
                .collect(Collectors.toSet());
    }

    /**
     * Refuses an {@code exec} job whose roles could not be played as things are: a role that no {@code Active} exec
     * node of its pool serves, roles that cannot each have a node of their own (free slots aside: those free up),
     * a concurrency key (not combined with roles), or a role run's name ({@link JobSpec#roleRunName}) too long.
     *
     * @param batch whether {@code specs} are the elements of a batch, which the refusal then names
     * @throws InvalidRequestException naming the field at fault (and the element, in a batch)
     */
    void checkRoles(List<JobSpec> specs, boolean batch) {
        List<ServerEntity> nodes = null;
        for (int i = 0; i < specs.size(); i++) {
            JobSpec spec = specs.get(i);
            Map<String, String> roles = spec.execRoles();
            if (roles.isEmpty()) {
                continue;
            }
            if (nodes == null) {
                nodes = servers.activeExecNodes();
            }
            InvalidRequestException refused = refusal(spec, roles, nodes);
            if (refused != null) {
                throw batch ? refused.inElement(i) : refused;
            }
        }
    }

    private static InvalidRequestException refusal(JobSpec spec, Map<String, String> roles,
                                                   List<ServerEntity> nodes) {
        if (spec.concurrencyKey() != null) {
            return new InvalidRequestException("concurrencyKey", "an exec job with roles cannot have a"
                    + " concurrencyKey: its role runs are placed on nodes together, outside any key's line");
        }
        String lead = RoleRun.leadRole(roles.keySet());
        Map<String, List<UUID>> serving = new LinkedHashMap<>();
        for (Map.Entry<String, String> role : roles.entrySet()) {
            if (!role.getKey().equals(lead) && spec.roleRunName(role.getKey()).length() > Limits.JOB_NAME) {
                return new InvalidRequestException("name", "the run of role " + role.getKey() + " is named '"
                        + spec.roleRunName(role.getKey()) + "', which is over " + Limits.JOB_NAME + " characters:"
                        + " give the job a shorter name");
            }
            List<UUID> candidates = nodes.stream().filter(node -> node.poolList().contains(spec.pool()))
                    .filter(node -> node.roleList().isEmpty() || node.roleList().contains(role.getKey()))
                    .map(node -> node.id).toList();
            if (candidates.isEmpty()) {
                return new InvalidRequestException(role.getValue(), "no Active node of pool " + spec.pool()
                        + " that runs exec jobs serves role " + role.getKey() + " (a node serves the roles of its"
                        + " ORCHESTR_NODE_ROLES, or every role when that is empty)");
            }
            serving.put(role.getKey(), candidates);
        }
        if (RoleMatching.match(serving).isEmpty()) {
            return new InvalidRequestException(roles.values().iterator().next(), "roles " + roles.keySet()
                    + " must each run on a node of their own, but the Active exec nodes of pool " + spec.pool()
                    + " that serve them are too few");
        }
        return null;
    }
}
