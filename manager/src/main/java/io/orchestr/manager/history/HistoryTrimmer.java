package io.orchestr.manager.history;

import io.orchestr.manager.OutageLog;
import io.orchestr.manager.config.OrchestrConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.hibernate.query.NativeQuery;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Keeps each job's history to its last {@code orchestr.history.max-events-per-job} events, now and then rather
 * than at every insert: each run looks only at the jobs that got events since this manager's previous run (all
 * jobs at its first), counts theirs, and trims those over the limit, each in a transaction of its own. Every
 * manager runs it; trimming is idempotent, so two managers at once only repeat a little work.
 */
@ApplicationScoped
public class HistoryTrimmer {
    private static final Logger LOG = Logger.getLogger(HistoryTrimmer.class);
    private static final int CHUNK = 200;

    private final EntityManager em;
    private final int maxEvents;
    private final OutageLog outageLog = new OutageLog(LOG, "trim job histories");
    /** The last event id this manager looked at; events below it were counted by an earlier run. */
    private long lastSeen;

    HistoryTrimmer(EntityManager em, OrchestrConfig config) {
        this.em = em;
        this.maxEvents = config.history().maxEventsPerJob();
        if (maxEvents < 1) {
            throw new IllegalArgumentException("orchestr.history.max-events-per-job must be 1 or more, not "
                    + maxEvents);
        }
    }

    @Scheduled(every = "${orchestr.history.trim-interval:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        outageLog.run(this::trim);
    }

    /** Trims the histories longer than the limit among those that grew since the last run; returns how many. */
    public synchronized int trim() {
        long upTo = QuarkusTransaction.requiringNew().call(() -> ((Number) sql("SELECT COALESCE(MAX(id), 0)"
                + " FROM job_event").getSingleResult()).longValue());
        List<String> grown = QuarkusTransaction.requiringNew().call(() -> sql("SELECT DISTINCT job_id FROM job_event"
                + " WHERE id > ?1 AND id <= ?2").setParameter(1, lastSeen).setParameter(2, upTo).getResultList()
                .stream().map(Object::toString).toList());
        int trimmed = 0;
        for (int from = 0; from < grown.size(); from += CHUNK) {
            List<String> chunk = grown.subList(from, Math.min(grown.size(), from + CHUNK));
            List<String> over = QuarkusTransaction.requiringNew().call(() -> sql("SELECT job_id FROM job_event"
                    + " WHERE job_id IN (?1) GROUP BY job_id HAVING COUNT(*) > ?2")
                    .setParameterList(1, chunk).setParameter(2, maxEvents).getResultList()
                    .stream().map(Object::toString).toList());
            for (String jobId : over) {
                trimmed += QuarkusTransaction.requiringNew().call(() -> trim(jobId));
            }
        }
        lastSeen = upTo;
        if (trimmed > 0) {
            LOG.debugf("Trimmed the history of %d job(s) to their last %d events", trimmed, maxEvents);
        }
        return trimmed;
    }

    /** Deletes the job's events older than its last {@link #maxEvents}; 1 if any went. */
    private int trim(String jobId) {
        List<?> keep = sql("SELECT id FROM job_event WHERE job_id = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2")
                .setParameter(1, jobId).setParameter(2, maxEvents - 1).getResultList();
        if (keep.isEmpty()) {
            return 0;
        }
        return sql("DELETE FROM job_event WHERE job_id = ?1 AND id < ?2").setParameter(1, jobId)
                .setParameter(2, ((Number) keep.getFirst()).longValue()).executeUpdate() > 0 ? 1 : 0;
    }

    private NativeQuery<?> sql(String sql) {
        return em.createNativeQuery(sql).unwrap(NativeQuery.class);
    }
}
