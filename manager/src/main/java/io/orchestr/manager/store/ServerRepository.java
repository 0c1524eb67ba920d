package io.orchestr.manager.store;

import io.orchestr.shared.NodeStatus;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** Reads of the server table for the REST API. */
@ApplicationScoped
public class ServerRepository implements PanacheRepositoryBase<ServerEntity, UUID> {

    /** The servers with this status (all of them for null), newest first. */
    public PanacheQuery<ServerEntity> search(NodeStatus status) {
        Sort newestFirst = Sort.descending("createdAt", "id");
        return status == null ? findAll(newestFirst) : find("status", newestFirst, status);
    }

    /** The incarnations that have not left cleanly (not {@code Stopped}), newest first. */
    public PanacheQuery<ServerEntity> present() {
        return find("status <> ?1", Sort.descending("createdAt", "id"), NodeStatus.Stopped);
    }

    /** The nodes that run {@code exec} jobs and take jobs now: connected and not draining nor drained. */
    public List<ServerEntity> activeExecNodes() {
        return list("exec = true and deleted = false and status = ?1", NodeStatus.Active);
    }

    public List<ServerEntity> byIds(Collection<UUID> ids) {
        return ids.isEmpty() ? List.of() : list("id in ?1", ids);
    }
}
