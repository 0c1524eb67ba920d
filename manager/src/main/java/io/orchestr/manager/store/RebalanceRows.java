package io.orchestr.manager.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.hibernate.query.NativeQuery;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The rows the rebalancer reads and writes (docs/architecture.md, "Rebalancing"): the one {@code rebalance} row it
 * locks, the moves it asked for ({@code rebalance_move}), and the fleet as the nodes' snapshots left it: the nodes
 * that can take jobs and the jobs each holds. Times are the database's clock, as in {@link Store}, so that managers
 * whose clocks disagree count the same minute.
 */
@ApplicationScoped
public class RebalanceRows {
    private final EntityManager em;

    RebalanceRows(EntityManager em) {
        this.em = em;
    }

    /**
     * A node that can take jobs: {@code Active} and heard from lately.
     *
     * @param slots its slots, by its last snapshot
     * @param pools the pools it serves
     * @param exec  whether it runs {@code exec} jobs
     */
    public record Node(UUID id, int slots, Set<String> pools, boolean exec) {
        public Node {
            pools = Set.copyOf(pools);
        }
    }

    /**
     * A job that takes a slot of {@code nodeId}: one it runs or is asked to stop, or one on its way there (placed
     * on it, or a move to it under way).
     *
     * @param exec    whether it is an {@code exec} job, which only nodes that run them can take
     * @param movable whether a move could take it elsewhere now: it runs ({@code Processing}) with nothing asked of
     *                it (no pause, restart or move under way), plays no role of an exec job's work (the managers
     *                place role runs), and may run again ({@code restart} is not {@code never}: a move starts a new
     *                run, which such a job, an {@code exec} command by default, does not expect)
     * @param sticky  whether the job asked never to be moved by rebalancing
     */
    public record HeldJob(UUID id, String pool, boolean exec, UUID nodeId, boolean movable, boolean sticky) {
    }

    /**
     * Locks the {@code rebalance} row unless another manager holds it ({@code SKIP LOCKED}), until the transaction
     * ends.
     *
     * @return the current round; empty when another manager is rebalancing now
     */
    public OptionalLong lockRound() {
        List<?> rows = sql("SELECT round FROM rebalance WHERE id = 1 FOR UPDATE SKIP LOCKED").getResultList();
        return rows.isEmpty() ? OptionalLong.empty() : OptionalLong.of(((Number) rows.getFirst()).longValue());
    }

    /**
     * Ends {@code round}: the next one begins, in which every job may be moved once again. Forgets the moves of
     * earlier rounds that no longer count against the rate limit.
     */
    public void endRound(long round) {
        sql("UPDATE rebalance SET round = ?1 WHERE id = 1").setParameter(1, round + 1).executeUpdate();
        sql("DELETE FROM rebalance_move WHERE round <= ?1 AND asked_at < UTC_TIMESTAMP(3) - INTERVAL 1 MINUTE")
                .setParameter(1, round).executeUpdate();
    }

    /** How many moves were asked for in the last minute, by any manager. */
    public int movesInLastMinute() {
        return ((Number) sql("SELECT COUNT(*) FROM rebalance_move"
                + " WHERE asked_at >= UTC_TIMESTAMP(3) - INTERVAL 1 MINUTE").getSingleResult()).intValue();
    }

    /** The jobs moved in {@code round} so far. */
    public Set<UUID> movedIn(long round) {
        return sql("SELECT job_id FROM rebalance_move WHERE round = ?1").setParameter(1, round).getResultList()
                .stream().map(id -> UUID.fromString(id.toString())).collect(Collectors.toSet());
    }

    /** Counts the moves of {@code jobIds}, just asked for, in {@code round}. */
    public void recordMoves(long round, Collection<UUID> jobIds) {
        for (UUID jobId : new HashSet<>(jobIds)) {
            sql("INSERT INTO rebalance_move (round, job_id, asked_at) VALUES (?1, ?2, UTC_TIMESTAMP(3))"
                    + " ON DUPLICATE KEY UPDATE asked_at = UTC_TIMESTAMP(3)")
                    .setParameter(1, round).setParameter(2, jobId.toString()).executeUpdate();
        }
    }

    /** The {@code Active} nodes that sent a snapshot within {@code heardWithin}, by id. */
    public List<Node> nodes(Duration heardWithin) {
        List<?> rows = sql("SELECT id, max_workers, pools, exec FROM server WHERE status = 'Active'"
                + " AND last_heartbeat_at >= UTC_TIMESTAMP(3) - INTERVAL ?1 MICROSECOND ORDER BY id")
                .setParameter(1, heardWithin.toNanos() / 1_000).getResultList();
        return rows.stream().map(row -> (Object[]) row).map(columns -> new Node(
                UUID.fromString(columns[0].toString()), ((Number) columns[1]).intValue(), pools(columns[2]),
                isTrue(columns[3]))).toList();
    }

    /**
     * Every job that takes a slot of a node, at the node it takes it on: its owner's while it runs or is being
     * stopped, the target's once a move to it is asked or the job is placed there (so that a move under way counts
     * where it goes, and is not asked twice).
     */
    public List<HeldJob> heldJobs() {
        List<?> rows = sql("SELECT id, pool, type = 'exec',"
                + " CASE WHEN status = 'Queued' OR steer = 'MOVE' AND placed_on IS NOT NULL THEN placed_on"
                + " ELSE owner_id END,"
                + " status = 'Processing' AND steer IS NULL AND role_of IS NULL AND restart_mode <> 'NEVER', sticky"
                + " FROM job WHERE status IN ('Processing', 'Pausing', 'Deleting')"
                + " OR status = 'Queued' AND placed_on IS NOT NULL").getResultList();
        return rows.stream().map(row -> (Object[]) row).filter(columns -> columns[3] != null)
                .map(columns -> new HeldJob(UUID.fromString(columns[0].toString()), columns[1].toString(),
                        isTrue(columns[2]), UUID.fromString(columns[3].toString()), isTrue(columns[4]),
                        isTrue(columns[5]))).toList();
    }

    /** A server row's {@code pools}, a comma list. */
    private static Set<String> pools(Object column) {
        String pools = column == null ? "" : column.toString();
        return pools.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(pools.split(",")));
    }

    private static boolean isTrue(Object column) {
        return column instanceof Boolean b ? b : ((Number) column).intValue() != 0;
    }

    private NativeQuery<?> sql(String sql) {
        return em.createNativeQuery(sql).unwrap(NativeQuery.class);
    }
}
