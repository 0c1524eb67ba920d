package io.orchestr.manager.job;

import io.orchestr.manager.Failures;
import io.orchestr.manager.OutageLog;
import io.orchestr.manager.config.OrchestrConfig;
import io.orchestr.manager.store.Store;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Purges ended jobs ({@code Completed}, {@code Failed}, {@code Deleted}) whose last change is older than the
 * retention ({@code orchestr.retention}), with their history, in chunks of a transaction each. Runs in every
 * manager; sweeps that run at once wait for each other's row locks and purge what the others left, so nothing is
 * gained or lost by their overlap. A zero or negative retention purges nothing.
 */
@ApplicationScoped
public class RetentionSweep {
    private static final Logger LOG = Logger.getLogger(RetentionSweep.class);
    /** Jobs per transaction: each may take up to its 1,000 history rows with it. */
    private static final int CHUNK = 200;
    /** At most 10,000 jobs per run, so that a first sweep over a large backlog does not hold the scheduler long. */
    private static final int CHUNKS_PER_RUN = 50;

    private final Store store;
    private final Duration retention;
    private final Clock clock;
    private final OutageLog outageLog = new OutageLog(LOG, "purge ended jobs past their retention");

    RetentionSweep(Store store, OrchestrConfig config, Clock clock) {
        this.store = store;
        this.retention = config.retention();
        this.clock = clock;
    }

    @Scheduled(every = "${orchestr.retention-interval:1m}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        if (retention.isZero() || retention.isNegative()) {
            return;
        }
        outageLog.run(() -> purgeChangedBefore(clock.instant().minus(retention)));
    }

    /**
     * Purges the ended jobs last changed before {@code cutoff}, chunk by chunk, up to {@value #CHUNKS_PER_RUN}
     * chunks (the next run goes on).
     *
     * @return how many it purged
     */
    public long purgeChangedBefore(Instant cutoff) {
        long purged = 0;
        for (int chunk = 0; chunk < CHUNKS_PER_RUN; chunk++) {
            int deleted;
            try {
                deleted = QuarkusTransaction.requiringNew().call(() -> store.purgeEnded(cutoff, CHUNK));
            } catch (RuntimeException e) {
                if (!Failures.isDeadlock(e)) {
                    throw e;
                }
                // another manager's sweep, or a claim, had the rows: the next run goes on
                LOG.debugf("Purging ended jobs met a deadlock; going on at the next run");
                break;
            }
            purged += deleted;
            if (deleted < CHUNK) {
                break;
            }
        }
        if (purged > 0) {
            LOG.infof("Purged %d ended job(s) last changed before %s (retention %s)", purged, cutoff, retention);
        }
        return purged;
    }
}
