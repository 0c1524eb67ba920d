package io.orchestr.manager.store;

import io.orchestr.client.JobFilter;
import io.orchestr.shared.JobStatus;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** Reads of the job table for the REST API. */
@ApplicationScoped
public class JobRepository implements PanacheRepositoryBase<JobEntity, UUID> {
    /** The jobs matching {@code search}, newest first; a name ending in {@code *} matches the names it starts. */
    public PanacheQuery<JobEntity> search(JobFilter search) {
        List<String> conditions = new ArrayList<>();
        Parameters parameters = new Parameters();
        if (search.status() != null) {
            conditions.add("status = :status");
            parameters.and("status", search.status());
        }
        if (search.name() != null && search.name().endsWith("*")) {
            // a search: the names that start with what comes before the star, on the name's unique index
            conditions.add("name like :prefix escape '!'");
            parameters.and("prefix", search.name().substring(0, search.name().length() - 1)
                    .replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
        } else if (search.name() != null) {
            conditions.add("name = :name");
            parameters.and("name", search.name());
        }
        if (search.pool() != null) {
            conditions.add("pool = :pool");
            parameters.and("pool", search.pool());
        }
        if (search.group() != null) {
            conditions.add("group = :group");
            parameters.and("group", search.group());
        }
        if (search.parentId() != null) {
            conditions.add("parentId = :parentId");
            parameters.and("parentId", search.parentId());
        }
        if (search.serverId() != null) {
            conditions.add("ownerId = :serverId and status in :running");
            parameters.and("serverId", search.serverId()).and("running", JobStatus.HELD);
        }
        String query = conditions.isEmpty() ? "" : String.join(" and ", conditions);
        return find(query, Sort.descending("createdAt", "id"), parameters);
    }

    /** The jobs that these servers run now. */
    public List<JobEntity> runBy(Collection<UUID> serverIds) {
        if (serverIds.isEmpty()) {
            return List.of();
        }
        return list("ownerId in :servers and status in :running order by createdAt",
                Parameters.with("servers", serverIds).and("running", JobStatus.HELD));
    }

    /** How many jobs each of these incarnations runs now; an incarnation that runs none is absent. */
    public Map<UUID, Long> heldBy(Collection<UUID> serverIds) {
        if (serverIds.isEmpty()) {
            return Map.of();
        }
        return getEntityManager().createQuery("select ownerId, count(*) from JobEntity where ownerId in :servers"
                        + " and status in :running group by ownerId", Object[].class)
                .setParameter("servers", serverIds).setParameter("running", JobStatus.HELD).getResultStream()
                .collect(Collectors.toMap(row -> (UUID) row[0], row -> ((Number) row[1]).longValue()));
    }
}
