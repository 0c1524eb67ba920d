package io.orchestr.manager.feed;

import io.orchestr.manager.metrics.FleetCounts;
import io.orchestr.manager.server.ServerQueries;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.Overview;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the fleet at a glance: two grouped queries (jobs by pool and status, on the {@code (pool, status)} index, and
 * the held jobs of the servers shown) and a page of servers.
 */
@ApplicationScoped
public class OverviewReader {
    /** The most servers an overview lists; the servers page pages through every one. */
    static final int MAX_SERVERS = 500;

    private final FleetCounts counts;
    private final ServerQueries servers;

    OverviewReader(FleetCounts counts, ServerQueries servers) {
        this.counts = counts;
        this.servers = servers;
    }

    @Transactional
    public Overview read() {
        Map<JobStatus, Long> total = new EnumMap<>(JobStatus.class);
        Map<String, Map<JobStatus, Long>> byPool = new TreeMap<>();
        for (FleetCounts.JobCount count : counts.jobs()) {
            total.merge(count.status(), count.jobs(), Long::sum);
            byPool.computeIfAbsent(count.pool(), pool -> new EnumMap<>(JobStatus.class))
                    .merge(count.status(), count.jobs(), Long::sum);
        }
        List<Overview.PoolJobs> pools = byPool.entrySet().stream()
                .map(pool -> new Overview.PoolJobs(pool.getKey(), pool.getValue())).toList();
        return new Overview(total, pools, servers.slots(MAX_SERVERS));
    }
}
