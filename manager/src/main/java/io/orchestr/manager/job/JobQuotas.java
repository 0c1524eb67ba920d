package io.orchestr.manager.job;

import io.orchestr.manager.ConflictException;
import io.orchestr.manager.InvalidRequestException;
import io.orchestr.manager.config.OrchestrConfig;
import io.orchestr.manager.store.Store;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The creation quotas of {@code orchestr.limits.*}: active jobs in all and per pool, pools with active jobs, and the
 * pools' allow-list. The counts come from the database at most once per {@link #FRESH_FOR} per manager and are
 * kept up with the creations since, so a check costs no query on the hot path; the limits hold to within what
 * the other managers create in that time and the jobs that ended in it (the quotas bound a flood, not a
 * bookkeeping exact to one job). Thread-safe.
 */
@ApplicationScoped
class JobQuotas {
    static final Duration FRESH_FOR = Duration.ofSeconds(1);

    private final Store store;
    private final OrchestrConfig.Limits limits;
    private Map<String, Long> activeByPool = Map.of();
    private long countedAt = Long.MIN_VALUE;

    JobQuotas(Store store, OrchestrConfig config) {
        this.store = store;
        this.limits = config.limits();
    }

    /**
     * Counts {@code specs} as created when they fit the quotas.
     *
     * @param batch whether {@code specs} are the elements of a batch, which a refusal then names
     * @throws InvalidRequestException naming {@code pool} when a pool is not in the allow-list
     * @throws ConflictException       when a quota would be passed
     */
    synchronized void admit(List<JobSpec> specs, boolean batch) {
        Optional<Set<String>> allowed = limits.poolAllowList();
        for (int i = 0; i < specs.size(); i++) {
            String pool = specs.get(i).pool();
            if (allowed.isPresent() && !allowed.get().contains(pool)) {
                InvalidRequestException refused = new InvalidRequestException("pool", "pool " + pool + " is not one"
                        + " of the pools jobs may be created in (orchestr.limits.pool-allow-list): " + allowed.get());
                throw batch ? refused.inElement(i) : refused;
            }
        }
        Map<String, Long> counts = new HashMap<>(counts());
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        for (JobSpec spec : specs) {
            if (!counts.containsKey(spec.pool()) && counts.size() >= limits.pools()) {
                throw new ConflictException("quota: pool " + spec.pool() + " would be one more than the "
                        + limits.pools() + " pools with active jobs (orchestr.limits.pools); create the job in a"
                        + " pool in use, or let the jobs of another pool end");
            }
            long inPool = counts.merge(spec.pool(), 1L, Long::sum);
            if (inPool > limits.activeJobsPerPool()) {
                throw new ConflictException("quota: pool " + spec.pool() + " has " + (inPool - 1) + " active jobs,"
                        + " the most one pool may have (orchestr.limits.active-jobs-per-pool "
                        + limits.activeJobsPerPool() + ")");
            }
            if (++total > limits.activeJobs()) {
                throw new ConflictException("quota: " + (total - 1) + " jobs are active, the most there may be"
                        + " (orchestr.limits.active-jobs " + limits.activeJobs() + ")");
            }
        }
        activeByPool = counts;
    }

    private Map<String, Long> counts() {
        long now = System.nanoTime();
        if (countedAt == Long.MIN_VALUE || now - countedAt > FRESH_FOR.toNanos()) {
            activeByPool = QuarkusTransaction.requiringNew().call(store::activeJobsByPool);
            countedAt = now;
        }
        return activeByPool;
    }
}
