package io.orchestr.manager.history;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.orchestr.manager.store.UtcDatetime;
import io.orchestr.shared.JobEventKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.hibernate.query.NativeQuery;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Flags two runs of one job that overlap, on the managers' own record: a run lasts from its grant to the first
 * event that ends it (its node's end, the manager learning that the node left, died or no longer holds the job),
 * and a grant recorded while the run before it had not ended makes the two overlap. Each new grant is checked
 * against the recorded history, read back from the database in the grant's transaction, not against what the
 * deciding code believes: a decision that forgot to end the old run, or a run ended only afterwards, shows here.
 *
 * <p>Only the managers' record counts, never the nodes' clocks. A job's events are recorded under its row's lock,
 * so their ids order them as the managers learned them; their times are each recording manager's clock and show
 * in the message. What a node does after the manager learned it was gone (a frozen node that wakes up) is the
 * node's fence and epoch to stop, not this check's to see.
 *
 * <p>An overlap is logged at ERROR and counted in {@code orchestr.run.overlaps}; the grant goes ahead (the
 * decision was taken; the check reports, it does not steer).
 */
@ApplicationScoped
public class OverlapCheck {
    private static final Logger LOG = Logger.getLogger(OverlapCheck.class);
    private static final int CHUNK = 200;
    /** The kinds that matter here, as an SQL list: grants and run ends. */
    private static final String RUN_KINDS_SQL = Arrays.stream(JobEventKind.values())
            .filter(kind -> kind == JobEventKind.GRANTED || kind.endsRun())
            .map(kind -> "'" + kind.wireName() + "'").collect(Collectors.joining(", ", "(", ")"));

    private final EntityManager em;
    private final Counter overlaps;

    OverlapCheck(EntityManager em, MeterRegistry registry) {
        this.em = em;
        this.overlaps = Counter.builder("orchestr.run.overlaps")
                .description("Runs of one job that overlapped on the managers' record: a grant made while the run"
                        + " before it had not ended")
                .register(registry);
    }

    /** A grant or an end, as recorded. */
    private record RunEvent(long id, Instant at, JobEventKind kind, UUID serverId, long epoch) {
    }

    /** Checks each of these grants, just recorded, against the run granted before it. */
    void check(List<JobEvent> grants) {
        List<String> jobIds = grants.stream().map(grant -> grant.jobId().toString()).distinct().sorted().toList();
        Map<UUID, List<RunEvent>> runEvents = new HashMap<>();
        for (int from = 0; from < jobIds.size(); from += CHUNK) {
            List<?> rows = em.createNativeQuery("SELECT job_id, id, CAST(at AS CHAR), kind, server_id, epoch"
                            + " FROM job_event WHERE job_id IN (?1) AND kind IN " + RUN_KINDS_SQL
                            + " AND server_id IS NOT NULL AND epoch IS NOT NULL ORDER BY job_id, id")
                    .unwrap(NativeQuery.class)
                    .setParameterList(1, jobIds.subList(from, Math.min(jobIds.size(), from + CHUNK)))
                    .getResultList();
            UtcDatetime times = new UtcDatetime();
            for (Object row : rows) {
                Object[] c = (Object[]) row;
                runEvents.computeIfAbsent(UUID.fromString(c[0].toString()), id -> new ArrayList<>())
                        .add(new RunEvent(((Number) c[1]).longValue(), times.convertToEntityAttribute(c[2].toString()),
                                JobEventKind.fromWireName(c[3].toString()).orElseThrow(),
                                UUID.fromString(c[4].toString()), ((Number) c[5]).longValue()));
            }
        }
        for (JobEvent grant : grants) {
            overlap(grant, runEvents.getOrDefault(grant.jobId(), List.of())).ifPresent(message -> {
                overlaps.increment();
                LOG.error(message);
            });
        }
    }

    /** Why {@code grant} overlaps the run before it, if it does; {@code events}: the job's, in recorded order. */
    private static Optional<String> overlap(JobEvent grant, List<RunEvent> events) {
        RunEvent granted = null;
        RunEvent previous = null;
        for (RunEvent event : events) {
            if (event.kind() == JobEventKind.GRANTED) {
                if (event.epoch() == grant.epoch() && event.serverId().equals(grant.serverId())) {
                    granted = event;
                    break;
                }
                previous = event;
            }
        }
        if (granted == null || previous == null) {
            return Optional.empty(); // the first run of the job, or the one before was trimmed away
        }
        RunEvent before = previous;
        RunEvent now = granted;
        boolean ended = events.stream().anyMatch(event -> event.kind().endsRun() && event.id() > before.id()
                && event.id() < now.id() && event.epoch() == before.epoch()
                && event.serverId().equals(before.serverId()));
        if (ended) {
            return Optional.empty();
        }
        return Optional.of(String.format("Job %s may have run twice at once: it was granted to node %s under epoch"
                        + " %d at %s while its run on node %s under epoch %d, granted at %s, had not ended on the"
                        + " managers' record (no end, no departure, no lost connection was recorded for it)",
                grant.jobId(), now.serverId(), now.epoch(), now.at(), before.serverId(), before.epoch(),
                before.at()));
    }
}
