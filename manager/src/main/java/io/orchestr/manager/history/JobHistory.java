package io.orchestr.manager.history;

import io.orchestr.manager.UnknownIdException;
import io.orchestr.manager.store.UtcDatetime;
import io.orchestr.shared.JobEventKind;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.FeedEvent;
import io.orchestr.shared.api.JobEventView;
import io.orchestr.shared.api.Page;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.hibernate.query.NativeQuery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A job's history: what happened to it, recorded where it happens, in the transaction of the decision it records
 * (so the history never tells of a change that rolled back), and read page by page, oldest first.
 *
 * <p>Recording costs one {@code INSERT} per chunk of events, whatever their number: the claim path decides up to
 * 1,000 claims in one transaction. A run's end must be recorded (a kind that {@linkplain JobEventKind#endsRun()
 * ends a run}, naming the run's node and epoch) before the job's next grant: the {@link OverlapCheck} reads the
 * recorded grants and ends, and flags a grant made while the run before it had not ended.
 *
 * <p>A job keeps its last events only ({@code orchestr.history.max-events-per-job}): {@link HistoryTrimmer} trims
 * the longer histories now and then, not at every insert. The history of a purged job goes with its row (foreign
 * key, {@code ON DELETE CASCADE}).
 */
@ApplicationScoped
public class JobHistory {
    /** Events per {@code INSERT}; keeps statements well under the packet limits. */
    private static final int CHUNK = 200;
    private static final int COLUMNS = 8;
    /** An event as {@link #view} reads it, from {@code job_event e} joined with {@code server s}. */
    private static final String EVENT_COLUMNS = "CAST(e.at AS CHAR), e.kind, e.server_id,"
            + " COALESCE(e.server_name, NULLIF(s.name, '')), e.epoch, e.actor, e.detail";
    /** The feed's events, each with its id, job and job name ({@link #feedEvents}), before their condition. */
    private static final String FEED_SELECT = "SELECT e.id, e.job_id, j.name, " + EVENT_COLUMNS + " FROM job_event e"
            + " JOIN job j ON j.id = e.job_id LEFT JOIN server s ON s.id = e.server_id";
    /** {@link JobStatus#HELD} as an SQL list: the statuses in which a node runs the job. */
    private static final String HELD_SQL = JobStatus.HELD.stream().map(status -> "'" + status.name() + "'")
            .collect(Collectors.joining(", ", "(", ")"));

    private final EntityManager em;
    private final OverlapCheck overlaps;

    JobHistory(EntityManager em, OverlapCheck overlaps) {
        this.em = em;
        this.overlaps = overlaps;
    }

    /** Records {@code event} in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(JobEvent event) {
        recordAll(List.of(event));
    }

    /**
     * Records {@code events} in the caller's transaction, in this order, one statement per chunk; then checks the
     * grants among them against the runs before them.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordAll(Collection<JobEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        List<JobEvent> ordered = List.copyOf(events);
        Map<UUID, String> names = serverNames(ordered.stream().map(JobEvent::serverId).filter(Objects::nonNull)
                .distinct().toList());
        for (int from = 0; from < ordered.size(); from += CHUNK) {
            insert(ordered.subList(from, Math.min(ordered.size(), from + CHUNK)), names);
        }
        List<JobEvent> grants = ordered.stream().filter(event -> event.kind() == JobEventKind.GRANTED
                && event.serverId() != null && event.epoch() != null).toList();
        if (!grants.isEmpty()) {
            overlaps.check(grants);
        }
    }

    private void insert(List<JobEvent> chunk, Map<UUID, String> names) {
        StringBuilder sql = new StringBuilder("INSERT INTO job_event"
                + " (job_id, at, kind, server_id, server_name, epoch, actor, detail) VALUES ");
        for (int i = 0; i < chunk.size(); i++) {
            int p = i * COLUMNS + 1;
            sql.append(i == 0 ? "" : ", ").append("(?").append(p).append(", ?").append(p + 1).append(", ?")
                    .append(p + 2).append(", ?").append(p + 3).append(", ?").append(p + 4).append(", ?")
                    .append(p + 5).append(", ?").append(p + 6).append(", ?").append(p + 7).append(')');
        }
        NativeQuery<?> insert = sql(sql.toString());
        int p = 1;
        for (JobEvent event : chunk) {
            String server = event.serverId() == null ? null : event.serverId().toString();
            insert.setParameter(p++, event.jobId().toString())
                    .setParameter(p++, UtcDatetime.toSql(event.at()))
                    .setParameter(p++, event.kind().wireName())
                    .setParameter(p++, server, String.class)
                    .setParameter(p++, event.serverId() == null ? null : names.get(event.serverId()), String.class)
                    .setParameter(p++, event.epoch(), Long.class)
                    .setParameter(p++, event.actor(), String.class)
                    .setParameter(p++, event.detail(), String.class);
        }
        insert.executeUpdate();
    }

    /** The names of those of these servers whose row has one (a row made by a goodbye alone has none). */
    private Map<UUID, String> serverNames(List<UUID> serverIds) {
        Map<UUID, String> names = new HashMap<>();
        if (serverIds.isEmpty()) {
            return names;
        }
        List<?> rows = sql("SELECT id, name FROM server WHERE id IN (?1) AND name <> ''")
                .setParameterList(1, serverIds.stream().map(UUID::toString).toList()).getResultList();
        for (Object row : rows) {
            Object[] columns = (Object[]) row;
            names.put(UUID.fromString(columns[0].toString()), columns[1].toString());
        }
        return names;
    }

    /**
     * Records {@code started} for the runs that {@code nodeId} reports running, under the epoch the job has now,
     * that no snapshot reported running before. Costs one read of the listed rows; the rows of the runs that are
     * new are then locked, marked and recorded.
     *
     * @param runs the epoch of each listed job's run, as the node reported it running under its current grant
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordStarted(UUID nodeId, Map<UUID, Long> runs, Instant now) {
        List<String> ids = runs.keySet().stream().map(UUID::toString).sorted().toList();
        List<String> fresh = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += CHUNK) {
            fresh.addAll(notYetStarted(ids.subList(from, Math.min(ids.size(), from + CHUNK)), nodeId, ""));
        }
        List<JobEvent> events = new ArrayList<>();
        for (int from = 0; from < fresh.size(); from += CHUNK) {
            // locked in id order, then read again: a snapshot of the same node applied at the same time by another
            // lane or manager must not record the same start
            List<String> chunk = notYetStarted(fresh.subList(from, Math.min(fresh.size(), from + CHUNK)), nodeId,
                    " ORDER BY id FOR UPDATE");
            if (chunk.isEmpty()) {
                continue;
            }
            sql("UPDATE job SET started_epoch = epoch WHERE id IN (?1)").setParameterList(1, chunk).executeUpdate();
            chunk.forEach(id -> events.add(JobEvent.started(UUID.fromString(id), now, nodeId,
                    runs.get(UUID.fromString(id)))));
        }
        recordAll(events);
    }

    private List<String> notYetStarted(List<String> ids, UUID nodeId, String lock) {
        List<?> rows = sql("SELECT id FROM job WHERE id IN (?1) AND owner_id = ?2"
                + " AND status IN " + HELD_SQL + " AND COALESCE(started_epoch, 0) < epoch" + lock)
                .setParameterList(1, ids).setParameter(2, nodeId.toString()).getResultList();
        return rows.stream().map(Object::toString).toList();
    }

    /**
     * One page of the job's history, oldest first. The server name of an event recorded before the server's
     * first snapshot is taken from its row as it is now.
     *
     * @throws UnknownIdException when no job has this id
     */
    @Transactional
    public Page<JobEventView> events(UUID jobId, int page, int size) {
        String id = jobId.toString();
        if (((Number) sql("SELECT COUNT(*) FROM job WHERE id = ?1").setParameter(1, id).getSingleResult())
                .longValue() == 0) {
            throw new UnknownIdException("job", id);
        }
        long total = ((Number) sql("SELECT COUNT(*) FROM job_event WHERE job_id = ?1").setParameter(1, id)
                .getSingleResult()).longValue();
        List<?> rows = sql("SELECT " + EVENT_COLUMNS + " FROM job_event e"
                + " LEFT JOIN server s ON s.id = e.server_id WHERE e.job_id = ?1 ORDER BY e.id LIMIT ?2 OFFSET ?3")
                .setParameter(1, id).setParameter(2, size).setParameter(3, (long) page * size).getResultList();
        UtcDatetime times = new UtcDatetime();
        List<JobEventView> items = rows.stream().map(row -> view((Object[]) row, 0, times)).toList();
        return new Page<>(items, page, size, total);
    }

    /**
     * The events of every job recorded after {@code after}, and those among {@code missing} (ids the feed skipped
     * while their transactions had not committed), oldest first, at most {@code limit}.
     */
    @Transactional
    public List<FeedEvent> feed(long after, Collection<Long> missing, int limit) {
        String gaps = missing.isEmpty() ? "" : " OR e.id IN (?3)";
        NativeQuery<?> query = sql(FEED_SELECT + " WHERE e.id > ?1" + gaps + " ORDER BY e.id LIMIT ?2")
                .setParameter(1, after).setParameter(2, limit);
        if (!missing.isEmpty()) {
            query.setParameterList(3, missing);
        }
        return feedEvents(query.getResultList());
    }

    /** The last {@code size} events of every job, newest first. */
    @Transactional
    public List<FeedEvent> latest(int size) {
        return feedEvents(sql(FEED_SELECT + " ORDER BY e.id DESC LIMIT ?1").setParameter(1, size).getResultList());
    }

    /** The id of the last event recorded, 0 before the first. */
    @Transactional
    public long lastId() {
        return ((Number) sql("SELECT COALESCE(MAX(id), 0) FROM job_event").getSingleResult()).longValue();
    }

    private static List<FeedEvent> feedEvents(List<?> rows) {
        UtcDatetime times = new UtcDatetime();
        return rows.stream().map(row -> (Object[]) row).map(c -> new FeedEvent(((Number) c[0]).longValue(),
                UUID.fromString(c[1].toString()), c[2].toString(), view(c, 3, times))).toList();
    }

    /** The event of the {@link #EVENT_COLUMNS} that start at {@code from} in {@code c}. */
    private static JobEventView view(Object[] c, int from, UtcDatetime times) {
        return new JobEventView(times.convertToEntityAttribute(c[from].toString()),
                JobEventKind.fromWireName(c[from + 1].toString()).orElseThrow(),
                c[from + 2] == null ? null : UUID.fromString(c[from + 2].toString()),
                c[from + 3] == null ? null : c[from + 3].toString(),
                c[from + 4] == null ? null : ((Number) c[from + 4]).longValue(),
                c[from + 5] == null ? null : c[from + 5].toString(),
                c[from + 6] == null ? null : c[from + 6].toString());
    }

    private NativeQuery<?> sql(String sql) {
        return em.createNativeQuery(sql).unwrap(NativeQuery.class);
    }
}
