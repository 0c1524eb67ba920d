package io.orchestr.shared.api;

import io.orchestr.shared.JobStatus;
import io.orchestr.shared.NodeStatus;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The fleet at a glance ({@code GET /api/overview} and the {@code overview} events of
 * {@code GET /api/events/stream}): jobs by status and pool, and every node incarnation that has not left with its
 * slots.
 *
 * @param jobs    how many jobs are in each status, all pools together
 * @param pools   how many jobs are in each status, pool by pool
 * @param servers the incarnations that have not left cleanly, newest first
 */
public record Overview(Map<JobStatus, Long> jobs, List<PoolJobs> pools, List<ServerSlots> servers) {
    public Overview {
        jobs = Map.copyOf(jobs);
        pools = List.copyOf(pools);
        servers = List.copyOf(servers);
    }

    /** How many jobs of one pool are in each status. */
    public record PoolJobs(String pool, Map<JobStatus, Long> jobs) {
        public PoolJobs {
            jobs = Map.copyOf(jobs);
        }
    }

    /**
     * One node incarnation's slots.
     *
     * @param slots           its slots
     * @param used            how many of them hold a job
     * @param lastHeartbeatAt when its last snapshot came
     */
    public record ServerSlots(UUID id, String name, NodeStatus status, List<String> pools, int slots, long used,
                              Instant lastHeartbeatAt) {
        public ServerSlots {
            pools = List.copyOf(pools);
        }
    }
}
