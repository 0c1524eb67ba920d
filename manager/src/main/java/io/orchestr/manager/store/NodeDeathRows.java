package io.orchestr.manager.store;

import io.orchestr.shared.NodeStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.hibernate.query.NativeQuery;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The rows crash-loop quarantine reads and writes (docs/architecture.md, "Crash-loop quarantine"): the node deaths
 * counted against a job ({@code job.node_deaths}), its {@code quarantined} flag, and the grants a dead node had
 * just before it died, from the jobs' histories.
 */
@ApplicationScoped
public class NodeDeathRows {
    private final EntityManager em;

    NodeDeathRows(EntityManager em) {
        this.em = em;
    }

    /** When a node incarnation was last heard of, and whether it left cleanly. */
    public record NodeEnd(Instant lastHeartbeatAt, boolean leftCleanly) {
    }

    /** The server row's end of {@code nodeId}; empty when it never sent a snapshot. */
    public Optional<NodeEnd> nodeEnd(UUID nodeId) {
        return Optional.ofNullable(em.find(ServerEntity.class, nodeId))
                .map(server -> new NodeEnd(server.lastHeartbeatAt, server.status == NodeStatus.Stopped));
    }

    /** Up to {@code limit} jobs the history shows granted to {@code nodeId} at {@code since} or later. */
    public List<UUID> jobsGrantedSince(UUID nodeId, Instant since, int limit) {
        List<?> ids = sql("SELECT DISTINCT job_id FROM job_event WHERE server_id = ?1 AND kind = 'granted'"
                + " AND at >= ?2 LIMIT " + limit)
                .setParameter(1, nodeId.toString())
                .setParameter(2, UtcDatetime.toSql(since))
                .getResultList();
        return ids.stream().map(id -> UUID.fromString(id.toString())).toList();
    }

    /** The node deaths counted against the job, oldest first; the caller holds the row's lock. */
    public List<Instant> deaths(UUID jobId) {
        List<?> rows = sql("SELECT node_deaths FROM job WHERE id = ?1").setParameter(1, jobId.toString())
                .getResultList();
        if (rows.isEmpty() || rows.getFirst() == null || rows.getFirst().toString().isEmpty()) {
            return List.of();
        }
        return Arrays.stream(rows.getFirst().toString().split(","))
                .map(millis -> Instant.ofEpochMilli(Long.parseLong(millis))).toList();
    }

    /** Stores the node deaths counted against the job, oldest first. */
    public void setDeaths(UUID jobId, List<Instant> deaths) {
        String text = deaths.stream().map(at -> Long.toString(at.toEpochMilli())).collect(Collectors.joining(","));
        sql("UPDATE job SET node_deaths = ?1 WHERE id = ?2")
                .setParameter(1, text.isEmpty() ? null : text, String.class)
                .setParameter(2, jobId.toString())
                .executeUpdate();
    }

    /** Pauses the job, locked by the caller and run nowhere, as quarantined. */
    public void quarantine(UUID jobId, Instant now) {
        sql("UPDATE job SET status = 'Paused', quarantined = TRUE, placed_on = NULL, steer = NULL, modified_at = ?1"
                + " WHERE id = ?2")
                .setParameter(1, UtcDatetime.toSql(now))
                .setParameter(2, jobId.toString())
                .executeUpdate();
    }

    private NativeQuery<?> sql(String sql) {
        return em.createNativeQuery(sql).unwrap(NativeQuery.class);
    }
}
