package io.orchestr.manager.claim;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.hibernate.query.NativeQuery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Counts the claim decisions this manager took ({@code orchestr.claims}, tag {@code decision}: {@code granted},
 * {@code dropped} or {@code wait}) and the failovers among its grants: a job granted to a new node because the
 * node that ran it before is gone (left, or its connection died), not because it let the job go (a move, a
 * restart elsewhere, a resume). A failover's duration ({@code orchestr.failover}) runs from the old node's last
 * snapshot, the last the managers heard of its run, to the new grant: how long the job went without a live run,
 * its detection included.
 */
@ApplicationScoped
@Startup // its meters show from the start, at 0, not from the first event
class ClaimMeters {
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

    private static Counter decisions(MeterRegistry registry, String decision) {
        return Counter.builder("orchestr.claims").tag("decision", decision)
                .description("Claims decided by this manager, by decision").register(registry);
    }

    /**
     * One claimant's decisions, in the transaction that takes them: {@code movedFrom} counts the jobs granted to it
     * that another incarnation owned before, by that owner.
     */
    void decided(int grants, int drops, int waits, Map<UUID, Integer> movedFrom) {
        granted.increment(grants);
        dropped.increment(drops);
        waited.increment(waits);
        List<UUID> goneOwners = movedFrom.keySet().stream().filter(liveness::knownGone).toList();
        if (goneOwners.isEmpty()) {
            return;
        }
        Map<UUID, Duration> silences = lastSnapshotAges(goneOwners);
        for (UUID owner : goneOwners) {
            int jobs = movedFrom.get(owner);
            failovers.increment(jobs);
            Duration silence = silences.get(owner);
            if (silence != null) {
                for (int i = 0; i < jobs; i++) {
                    failoverTime.record(silence);
                }
            }
        }
    }

    /** How long ago each owner's last snapshot was, by the database's clock, which wrote it; none without a row. */
    private Map<UUID, Duration> lastSnapshotAges(List<UUID> owners) {
        List<?> rows = em.createNativeQuery("SELECT id, TIMESTAMPDIFF(MICROSECOND, last_heartbeat_at,"
                        + " UTC_TIMESTAMP(3)) FROM server WHERE id IN (?1) AND last_heartbeat_at IS NOT NULL")
                .unwrap(NativeQuery.class)
                .setParameterList(1, owners.stream().map(UUID::toString).toList())
                .getResultList();
        return rows.stream().map(row -> (Object[]) row).collect(Collectors.toMap(
                columns -> UUID.fromString(columns[0].toString()),
                columns -> Duration.ofNanos(Math.max(0, ((Number) columns[1]).longValue()) * 1_000)));
    }
}
