package io.orchestr.manager.claim;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.orchestr.shared.JobEventKind;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.hibernate.query.NativeQuery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Counts the claim decisions this manager took ({@code orchestr.claims}, tag {@code decision}: {@code granted},
 * {@code dropped} or {@code wait}) and the failovers among its grants: a job granted to a new node because the
 * node that ran it before is gone (left, or its connection died), not because it let the job go (a move, a
 * restart elsewhere) or was resumed or rerun since. A failover's duration ({@code orchestr.failover}) runs from
 * the old node's last snapshot, the last the managers heard of its run, to the new grant: how long the job went
 * without a live run, its detection included. Counted as decided, before the commit: a batch whose transaction
 * fails and is decided again counts twice.
 */
@ApplicationScoped
@Startup // its meters show from the start, at 0, not from the first event
class ClaimMeters {
    private static final String STOPPED = sql(JobEventKind.STOPPED);
    /** The events after which a job waits for its next grant: its run stopped, or it was resumed or rerun. */
    private static final String LAST_KINDS = "(" + STOPPED + ", " + sql(JobEventKind.RESUMED) + ", "
            + sql(JobEventKind.RERUN) + ")";
    private final Counter granted;
    private final Counter dropped;
    private final Counter waited;
    private final Counter failovers;
    private final Timer failoverTime;
    private final OwnerLiveness liveness;
    private final EntityManager em;

    ClaimMeters(MeterRegistry registry, OwnerLiveness liveness, EntityManager em) {
        this.liveness = liveness;
        this.em = em;
        this.granted = decisions(registry, "granted");
        this.dropped = decisions(registry, "dropped");
        this.waited = decisions(registry, "wait");
        this.failovers = Counter.builder("orchestr.failovers")
                .description("Jobs granted to a new node because the node that ran them is gone").register(registry);
        this.failoverTime = Timer.builder("orchestr.failover")
                .description("From the old node's last snapshot to the job's grant to a new node, per failover")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
    }

    private static String sql(JobEventKind kind) {
        return "'" + kind.wireName() + "'";
    }

    private static Counter decisions(MeterRegistry registry, String decision) {
        return Counter.builder("orchestr.claims").tag("decision", decision)
                .description("Claims decided by this manager, by decision").register(registry);
    }

    /**
     * One claimant's decisions, in the transaction that takes them, once their rows and history are written: {@code
     * movedFrom} counts the jobs granted to it that another incarnation owned before, by that owner, and {@code
     * newGrants} are the jobs granted to it under a new epoch. Reads nothing unless an old owner is known gone.
     */
    void decided(int grants, int drops, int waits, Map<UUID, Integer> movedFrom, List<UUID> newGrants) {
        granted.increment(grants);
        dropped.increment(drops);
        waited.increment(waits);
        if (movedFrom.keySet().stream().anyMatch(liveness::knownGone)) {
            failedOver(newGrants);
        }
    }

    /**
     * Counts and times the failovers among {@code jobs}: those whose last run-ending or re-queueing event is its run's
     * {@code stopped} on a node known gone. A job resumed or rerun since its last run stopped is no failover, though
     * its old owner may be gone by now.
     */
    private void failedOver(List<UUID> jobs) {
        List<?> rows = em.createNativeQuery("SELECT e.server_id, TIMESTAMPDIFF(MICROSECOND, s.last_heartbeat_at,"
                        + " UTC_TIMESTAMP(3)) FROM job_event e LEFT JOIN server s ON s.id = e.server_id"
                        + " WHERE e.kind = " + STOPPED + " AND e.server_id IS NOT NULL AND e.id IN (SELECT MAX(id)"
                        + " FROM job_event WHERE job_id IN (?1) AND kind IN " + LAST_KINDS + " GROUP BY job_id)")
                .unwrap(NativeQuery.class)
                .setParameterList(1, jobs.stream().map(UUID::toString).toList())
                .getResultList();
        for (Object row : rows) {
            Object[] columns = (Object[]) row;
            if (liveness.knownGone(UUID.fromString(columns[0].toString()))) {
                failovers.increment();
                if (columns[1] != null) {
                    failoverTime.record(Duration.ofNanos(Math.max(0, ((Number) columns[1]).longValue()) * 1_000));
                }
            }
        }
    }
}
