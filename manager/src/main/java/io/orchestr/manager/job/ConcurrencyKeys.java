package io.orchestr.manager.job;

import io.orchestr.manager.store.ConcurrencyKeyRows;
import io.orchestr.manager.store.ConcurrencyKeyRows.KeyRow;
import io.orchestr.manager.store.ConcurrencyKeyRows.Line;
import io.orchestr.manager.store.JobEntity;
import io.orchestr.manager.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Admits the jobs of a concurrency key: under the lock of the key's row, as many of its waiting jobs as it has free
 * places, oldest first. Only an admission locks a key's row, and it locks no job row before it, so admissions in
 * several managers wait for each other and deadlock with nothing.
 */
@ApplicationScoped
class ConcurrencyKeys {
    private static final Logger LOG = Logger.getLogger(ConcurrencyKeys.class);

    private final ConcurrencyKeyRows rows;
    private final Store store;
    private final Clock clock;

    ConcurrencyKeys(ConcurrencyKeyRows rows, Store store, Clock clock) {
        this.rows = rows;
        this.store = store;
        this.clock = clock;
    }

    /**
     * Admits what the key has places for, in a transaction of its own, and returns the jobs admitted, to publish
     * once it is committed. A key no job is active under loses its row, and with it its limit.
     */
    List<JobEntity> admit(String key) {
        return Transactions.retryingDeadlocks(() -> {
            Optional<Line> before = rows.activeLine(key);
            if (before.isEmpty()) {
                forgetIfIdle(key);
                return List.of();
            }
            KeyRow row = rows.lockKey(key, before.get());
            Line line = rows.activeLine(key).orElse(null); // again under the lock: jobs may have ended meanwhile
            if (line == null) {
                rows.deleteKey(key);
                return List.of();
            }
            // no active job is as old as the newest the row saw: all it knew are gone, this is the key anew
            int limit = line.firstPlace() > row.seenPlace() ? line.firstLimit() : row.limit();
            KeyRow kept = new KeyRow(limit, Math.max(row.seenPlace(), line.lastPlace()));
            if (!kept.equals(row)) {
                rows.updateKey(key, kept);
            }
            int holders = rows.holders(key);
            if (holders >= limit) {
                return List.of();
            }
            List<UUID> next = rows.firstWaiting(key, limit - holders);
            if (next.isEmpty() || rows.admit(key, next, clock.instant()) == 0) {
                return List.of();
            }
            List<JobEntity> admitted = store.jobs(next).stream().filter(job -> job.concurrencyAdmitted)
                    .sorted(Comparator.comparing(job -> job.concurrencyOrder)).toList();
            LOG.infof("Concurrency key %s admitted %d job(s) (the first %s); %d of its jobs hold a place, limit %d",
                    key, admitted.size(), admitted.getFirst().id, holders + admitted.size(), limit);
            return admitted;
        });
    }

    /** Deletes the key's row if, under its lock, still no job of the key is active. */
    private void forgetIfIdle(String key) {
        if (rows.lockExistingKey(key) && rows.activeLine(key).isEmpty()) {
            rows.deleteKey(key);
        }
    }

    /** Keys the sweep is to admit for: waiting jobs and a free place, or a row no active job needs. */
    List<String> keysToAdmit(int limit) {
        return Transactions.retryingDeadlocks(() -> rows.keysToAdmit(limit));
    }
}
