package io.orchestr.manager.job;

import io.orchestr.manager.InvalidRequestException;
import io.orchestr.manager.store.ServerRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the connected nodes that run {@code exec} jobs offer, by their last snapshots (the pools they serve), and
 * the roles of exec work, which are refused until role runs exist.
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
     * Refuses an {@code exec} job that names a role: a role's steps must run on a node of their own, reserved with
     * the job's other roles, and that is not built yet. Taking the job and running every step on the one node that
     * claims it would break the role's promise without a word, so it is refused until it can be kept.
     *
     * @param batch whether {@code specs} are the elements of a batch, which the refusal then names
     * @throws InvalidRequestException naming the field of the role (and the element, in a batch)
     */
    void checkRoles(List<JobSpec> specs, boolean batch) {
        for (int i = 0; i < specs.size(); i++) {
            for (Map.Entry<String, String> role : specs.get(i).execRoles().entrySet()) {
                InvalidRequestException refused = new InvalidRequestException(role.getValue(), "roles are not"
                        + " supported yet: every step of an exec job runs on the one node that takes the job, so"
                        + " role '" + role.getKey() + "' cannot be given a node of its own; leave the role out");
                throw batch ? refused.inElement(i) : refused;
            }
        }
    }
}
