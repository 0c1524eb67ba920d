package io.orchestr.manager.store;

import io.orchestr.shared.JobStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.hibernate.query.NativeQuery;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The rows of concurrency keys and the job columns that admit jobs to them. A job of a key holds a place while it
 * is admitted and active (Queued, Processing, Pausing, Deleting); it waits while it is {@code Queued} and not
 * admitted. The isolation level is READ COMMITTED: a count read after the key's row is locked sees every admission
 * committed before, since admissions are made only under that lock.
 */
@ApplicationScoped
public class ConcurrencyKeyRows {
    private static final String ACTIVE_SQL = JobStatus.ACTIVE.stream().map(status -> "'" + status.name() + "'")
            .collect(Collectors.joining(", ", "(", ")"));
    private static final String HOLDS_SQL = holds("");
    private static final String WAITS_SQL = "concurrency_admitted = FALSE AND status = 'Queued'";

    private final EntityManager em;

    ConcurrencyKeyRows(EntityManager em) {
        this.em = em;
    }

    /** The concurrency key of the job; empty for none, or no such job. */
    public Optional<String> keyOf(UUID jobId) {
        List<?> rows = sql("SELECT concurrency_key FROM job WHERE id = ?1 AND concurrency_key IS NOT NULL")
                .setParameter(1, jobId.toString()).getResultList();
        return rows.stream().findFirst().map(Object::toString);
    }

    /**
     * The active jobs of a key, as its row needs them: the limit its oldest asked for, and the line places of its
     * oldest and newest.
     */
    public record Line(int firstLimit, long firstPlace, long lastPlace) {
    }

    /** The key's active jobs; empty when none is active. */
    public Optional<Line> activeLine(String key) {
        List<?> first = sql("SELECT concurrency_limit, concurrency_order FROM job WHERE concurrency_key = ?1"
                + " AND status IN " + ACTIVE_SQL + " ORDER BY concurrency_order, id LIMIT 1").setParameter(1, key)
                .getResultList();
        if (first.isEmpty()) {
            return Optional.empty();
        }
        Object[] oldest = (Object[]) first.getFirst();
        long last = ((Number) sql("SELECT MAX(concurrency_order) FROM job WHERE concurrency_key = ?1 AND status IN "
                + ACTIVE_SQL).setParameter(1, key).getSingleResult()).longValue();
        return Optional.of(new Line(((Number) oldest[0]).intValue(), ((Number) oldest[1]).longValue(), last));
    }

    /** A key's row: its limit, and the newest line place of an active job an admission saw. */
    public record KeyRow(int limit, long seenPlace) {
    }

    /**
     * Locks the key's row until the transaction ends, making it from {@code line} if there is none (an upsert: it
     * takes the exclusive lock at once, so that two managers making the same row do not deadlock upgrading a
     * shared one), and returns it.
     */
    public KeyRow lockKey(String key, Line line) {
        sql("INSERT INTO concurrency_key (name, job_limit, seen_order) VALUES (?1, ?2, ?3)"
                + " ON DUPLICATE KEY UPDATE name = name")
                .setParameter(1, key).setParameter(2, line.firstLimit()).setParameter(3, line.lastPlace())
                .executeUpdate();
        Object[] row = (Object[]) sql("SELECT job_limit, seen_order FROM concurrency_key WHERE name = ?1")
                .setParameter(1, key).getSingleResult();
        return new KeyRow(((Number) row[0]).intValue(), ((Number) row[1]).longValue());
    }

    /** Stores the key's row, locked by the caller. */
    public void updateKey(String key, KeyRow row) {
        sql("UPDATE concurrency_key SET job_limit = ?2, seen_order = ?3 WHERE name = ?1").setParameter(1, key)
                .setParameter(2, row.limit()).setParameter(3, row.seenPlace()).executeUpdate();
    }

    /** Locks the key's row, if it has one, until the transaction ends; false when it has none. */
    public boolean lockExistingKey(String key) {
        return !sql("SELECT name FROM concurrency_key WHERE name = ?1 FOR UPDATE").setParameter(1, key)
                .getResultList().isEmpty();
    }

    /** Deletes the key's row, locked by the caller: no job of it is active, so its next job sets its limit anew. */
    public void deleteKey(String key) {
        sql("DELETE FROM concurrency_key WHERE name = ?1").setParameter(1, key).executeUpdate();
    }

    /** How many jobs of the key hold a place. */
    public int holders(String key) {
        return ((Number) sql("SELECT COUNT(*) FROM job WHERE concurrency_key = ?1 AND " + HOLDS_SQL)
                .setParameter(1, key).getSingleResult()).intValue();
    }

    /** The ids of the first {@code count} jobs waiting for a place of the key, in their line's order. */
    public List<UUID> firstWaiting(String key, int count) {
        return sql("SELECT id FROM job WHERE concurrency_key = ?1 AND " + WAITS_SQL
                + " ORDER BY concurrency_order, id LIMIT ?2").setParameter(1, key).setParameter(2, count)
                .getResultList().stream().map(id -> UUID.fromString(id.toString())).toList();
    }

    /**
     * Admits those of these jobs of the key that still wait (a cancel or pause may have come first): each holds a
     * place from now on, and is to be published. Returns how many it admitted.
     */
    public int admit(String key, Collection<UUID> jobIds, Instant now) {
        return sql("UPDATE job SET concurrency_admitted = TRUE, modified_at = ?1 WHERE id IN (?2)"
                + " AND concurrency_key = ?3 AND " + WAITS_SQL)
                .setParameter(1, UtcDatetime.toSql(now))
                .setParameterList(2, jobIds.stream().map(UUID::toString).toList())
                .setParameter(3, key)
                .executeUpdate();
    }

    /**
     * Up to {@code limit} keys an admission has work for: keys with waiting jobs and a free place (or no row yet),
     * and rows of keys no active job has any more. The republisher's sweep admits them, should the admission
     * after a place freed not have run (its manager died).
     */
    public List<String> keysToAdmit(int limit) {
        String waiting = "SELECT DISTINCT concurrency_key AS name FROM job WHERE concurrency_key IS NOT NULL AND "
                + WAITS_SQL;
        List<?> rows = sql("SELECT w.name FROM (" + waiting + ") w LEFT JOIN concurrency_key k ON k.name = w.name"
                + " WHERE k.name IS NULL OR k.job_limit > (SELECT COUNT(*) FROM job h WHERE h.concurrency_key = w.name"
                + " AND " + holds("h.") + ")"
                + " UNION SELECT k.name FROM concurrency_key k WHERE NOT EXISTS (SELECT 1 FROM job a"
                + " WHERE a.concurrency_key = k.name AND a.status IN " + ACTIVE_SQL + ") LIMIT ?1")
                .setParameter(1, limit).getResultList();
        return rows.stream().map(Object::toString).toList();
    }

    /** A key as a waiting job's view tells it: how many of its jobs hold a place, and its limit (null: no row). */
    public record Load(int holders, Integer limit) {
    }

    /** The load of each of these keys. */
    public Map<String, Load> loads(Collection<String> keys) {
        Map<String, Load> loads = new HashMap<>();
        if (keys.isEmpty()) {
            return loads;
        }
        List<?> rows = sql("SELECT j.concurrency_key, SUM(CASE WHEN " + holds("j.") + " THEN 1 ELSE 0 END),"
                + " MAX(k.job_limit) FROM job j LEFT JOIN concurrency_key k"
                + " ON k.name = j.concurrency_key WHERE j.concurrency_key IN (?1) AND j.status IN " + ACTIVE_SQL
                + " GROUP BY j.concurrency_key").setParameterList(1, keys).getResultList();
        for (Object row : rows) {
            Object[] columns = (Object[]) row;
            loads.put(columns[0].toString(), new Load(((Number) columns[1]).intValue(),
                    columns[2] == null ? null : ((Number) columns[2]).intValue()));
        }
        return loads;
    }

    /** SQL true for a job that holds a place of its key; {@code alias}: the job table's, with its dot, or "". */
    private static String holds(String alias) {
        return alias + "concurrency_admitted AND " + alias + "status IN " + ACTIVE_SQL;
    }

    private NativeQuery<?> sql(String sql) {
        return em.createNativeQuery(sql).unwrap(NativeQuery.class);
    }
}
