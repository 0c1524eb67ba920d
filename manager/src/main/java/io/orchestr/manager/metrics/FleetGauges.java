package io.orchestr.manager.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.orchestr.manager.OutageLog;
import io.orchestr.shared.JobStatus;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The fleet as the database has it, refreshed every few seconds: {@code orchestr.jobs} (tags {@code pool},
 * {@code status}; every status of a pool that has jobs, zeros included), {@code orchestr.jobs.restarts} (tag
 * {@code pool}: restarts so far of the jobs not ended), {@code orchestr.slots} (tags {@code node}, {@code
 * state}: {@code used} or {@code free}, over the connected incarnations of each node name) and {@code
 * orchestr.servers} (tag {@code status}). A scrape reads the last refresh, never the database; every manager shows
 * the same figures, so dashboards take the {@code max} over managers.
 */
@ApplicationScoped
class FleetGauges {
    private static final Logger LOG = Logger.getLogger(FleetGauges.class);

    private final FleetCounts counts;
    private final GaugeFamily jobs;
    private final GaugeFamily restarts;
    private final GaugeFamily slots;
    private final GaugeFamily servers;
    private final OutageLog outageLog = new OutageLog(LOG, "refresh the fleet gauges");

    FleetGauges(FleetCounts counts, MeterRegistry registry) {
        this.counts = counts;
        this.jobs = new GaugeFamily("orchestr.jobs", "Jobs by pool and status", registry);
        this.restarts = new GaugeFamily("orchestr.jobs.restarts", "Restarts so far of the jobs not ended, by pool",
                registry);
        this.slots = new GaugeFamily("orchestr.slots", "Slots of the connected nodes, used (holding a job) or free",
                registry);
        this.servers = new GaugeFamily("orchestr.servers", "Node incarnations by status, those that left cleanly"
                + " aside", registry);
    }

    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        outageLog.run(() -> QuarkusTransaction.requiringNew().run(() -> {
            showJobs(counts.jobs());
            Map<Tags, Long> nodeSlots = new HashMap<>();
            for (FleetCounts.NodeSlots node : counts.slots()) {
                nodeSlots.put(Tags.of("node", node.node(), "state", "used"), node.used());
                nodeSlots.put(Tags.of("node", node.node(), "state", "free"), Math.max(0, node.slots() - node.used()));
            }
            slots.show(nodeSlots);
            servers.show(counts.servers().stream().collect(Collectors.toMap(
                    count -> Tags.of("status", count.status()), FleetCounts.ServerCount::servers)));
        }));
    }

    /** Every status of each pool that has jobs, zeros included. */
    private void showJobs(List<FleetCounts.JobCount> rows) {
        Map<Tags, Long> jobCounts = new HashMap<>();
        Map<Tags, Long> restartCounts = new HashMap<>();
        for (FleetCounts.JobCount row : rows) {
            for (JobStatus status : JobStatus.values()) {
                jobCounts.putIfAbsent(Tags.of("pool", row.pool(), "status", status.name()), 0L);
            }
            jobCounts.put(Tags.of("pool", row.pool(), "status", row.status().name()), row.jobs());
            restartCounts.merge(Tags.of("pool", row.pool()), row.status().isFinal() ? 0 : row.restarts(), Long::sum);
        }
        jobs.show(jobCounts);
        restarts.show(restartCounts);
    }
}
