package io.orchestr.manager.job;

import io.orchestr.manager.InvalidRequestException;
import io.orchestr.manager.store.ServerEntity;
import io.orchestr.manager.store.ServerRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the connected nodes that run {@code exec} jobs offer, by their last snapshots: which pools they serve, and
 * which roles. Reads the server table in the caller's transaction, or in one of its own without.
 */
@ApplicationScoped
class ExecNodes {
    private final ServerRepository servers;

    ExecNodes(ServerRepository servers) {
        this.servers = servers;
    }

    /** The pools that have a connected node running {@code exec} jobs. */
    Set<String> pools() {
        return servers.connectedExecNodes().stream().flatMap(server -> server.poolList().stream())
                .collect(Collectors.toSet());
    }

    /**
     * Refuses an {@code exec} job that names a role no connected exec node of its pool serves (a node that names
     * no role serves every role): a typo would otherwise leave the job waiting for ever.
     *
     * @param batch whether {@code specs} are the elements of a batch, which the refusal then names
     * @throws InvalidRequestException naming the field of the role (and the element, in a batch)
     */
    void checkRoles(List<JobSpec> specs, boolean batch) {
        if (specs.stream().allMatch(spec -> spec.execRoles().isEmpty())) {
            return;
        }
        List<ServerEntity> nodes = QuarkusTransaction.joiningExisting().call(servers::connectedExecNodes);
        for (int i = 0; i < specs.size(); i++) {
            JobSpec spec = specs.get(i);
            for (Map.Entry<String, String> role : spec.execRoles().entrySet()) {
                boolean served = nodes.stream().anyMatch(node -> node.poolList().contains(spec.pool())
                        && (node.roleList().isEmpty() || node.roleList().contains(role.getKey())));
                if (!served) {
                    InvalidRequestException refused = new InvalidRequestException(role.getValue(), "no connected"
                            + " node of pool " + spec.pool() + " that runs exec jobs serves role '" + role.getKey()
                            + "'");
                    throw batch ? refused.inElement(i) : refused;
                }
            }
        }
    }
}
