package io.orchestr.manager.metrics;

import io.orchestr.shared.JobStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads what the fleet gauges show, one grouped query each: jobs by pool and status, slots by node, servers by
 * status. The job query reads the {@code (pool, status)} index alone.
 */
@ApplicationScoped
public class FleetCounts {
    private static final String HELD_SQL = JobStatus.HELD.stream().map(status -> "'" + status.name() + "'")
            .collect(Collectors.joining(", ", "(", ")"));

    /** The jobs of one pool in one status, and the restarts they went through so far. */
    public record JobCount(String pool, JobStatus status, long jobs, long restarts) {
    }

    /** The slots of the connected incarnations of one node name, and how many of them hold a job. */
    record NodeSlots(String node, long slots, long used) {
    }

    /** How many server incarnations are in one status. */
    record ServerCount(String status, long servers) {
    }

    private final EntityManager em;

    FleetCounts(EntityManager em) {
        this.em = em;
    }

    /**
     * The jobs by pool and status. A status this manager does not know (a newer manager's, or a damaged row) is left
     * out, rather than stopping every gauge's refresh.
     */
    public List<JobCount> jobs() {
        Set<String> known = Arrays.stream(JobStatus.values()).map(Enum::name).collect(Collectors.toSet());
        return rows("SELECT pool, status, COUNT(*), COALESCE(SUM(restarts), 0) FROM job GROUP BY pool, status")
                .stream().filter(c -> known.contains(c[1].toString()))
                .map(c -> new JobCount(c[0].toString(), JobStatus.valueOf(c[1].toString()), number(c[2]),
                        number(c[3]))).toList();
    }

    List<NodeSlots> slots() {
        return rows("SELECT s.name, SUM(s.max_workers), SUM(COALESCE(h.held, 0)) FROM server s LEFT JOIN"
                + " (SELECT owner_id, COUNT(*) AS held FROM job WHERE status IN " + HELD_SQL + " GROUP BY owner_id) h"
                + " ON h.owner_id = s.id WHERE s.status IN ('Active', 'Draining', 'Drained') GROUP BY s.name")
                .stream().map(c -> new NodeSlots(c[0].toString(), number(c[1]), number(c[2]))).toList();
    }

    /** Left-cleanly ({@code Stopped}) incarnations are history, not fleet: they are not counted. */
    List<ServerCount> servers() {
        return rows("SELECT status, COUNT(*) FROM server WHERE status <> 'Stopped' GROUP BY status")
                .stream().map(c -> new ServerCount(c[0].toString(), number(c[1]))).toList();
    }

    private List<Object[]> rows(String sql) {
        return em.createNativeQuery(sql).getResultList().stream().map(row -> (Object[]) row).toList();
    }

    private static long number(Object column) {
        return ((Number) column).longValue();
    }
}
