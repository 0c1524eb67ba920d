package io.orchestr.manager.rebalance;

import io.orchestr.manager.OutageLog;
import io.orchestr.manager.config.OrchestrConfig;
import io.orchestr.manager.job.JobSteering;
import io.orchestr.manager.store.RebalanceRows;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/**
 * Evens out the nodes of each pool (docs/architecture.md, "Rebalancing"): when a node joins, or leaves a drain, with
 * free slots while the others are fuller, it moves jobs to it, each by the zero-overlap move of
 * {@link JobSteering#rebalance}, until every node of the pool is within one job of its share of the slots. At most
 * {@code orchestr.rebalance.max-moves-per-minute} moves are asked for in any minute, by all managers together, and
 * a job moves at most once per round (a round ends when a look finds nothing left to move).
 *
 * <p>Runs in every manager, one at a time: each look holds the {@code rebalance} row's lock, which the others skip
 * ({@code FOR UPDATE SKIP LOCKED}) rather than wait for, from the reading of the fleet until the moves it asked for
 * are counted; so no two managers plan on the same counts. The moves themselves commit in transactions of their own
 * meanwhile, each under its job's row lock, and send their release after their commit.
 */
@ApplicationScoped
class Rebalancer {
    private static final Logger LOG = Logger.getLogger(Rebalancer.class);

    private final RebalanceRows rows;
    private final JobSteering steering;
    private final int maxMovesPerMinute;
    private final Duration heardWithin;
    private final OutageLog outageLog = new OutageLog(LOG, "rebalance the nodes of the pools");

    Rebalancer(RebalanceRows rows, JobSteering steering, OrchestrConfig config) {
        this.rows = rows;
        this.steering = steering;
        this.maxMovesPerMinute = config.rebalance().maxMovesPerMinute();
        if (maxMovesPerMinute < 0) {
            throw new IllegalArgumentException("orchestr.rebalance.max-moves-per-minute must be 0 (off) or more, not "
                    + maxMovesPerMinute);
        }
        this.heardWithin = config.nodeLostAfter();
    }

    /** Every 2 s: a node's snapshot comes every second, and the moves of a look are counted where they go. */
    @Scheduled(every = "2s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (maxMovesPerMinute > 0) {
            outageLog.run(this::rebalance);
        }
    }

    /** One look at the fleet, and the moves it calls for; nothing when another manager is looking. */
    void rebalance() {
        QuarkusTransaction.requiringNew().run(() -> {
            OptionalLong locked = rows.lockRound();
            if (locked.isEmpty()) {
                return;
            }
            long round = locked.getAsLong();
            int budget = Math.max(0, maxMovesPerMinute - rows.movesInLastMinute());
            Set<UUID> moved = rows.movedIn(round);
            RebalancePlanner.Plan plan = RebalancePlanner.plan(rows.nodes(heardWithin), rows.heldJobs(), moved,
                    budget);
            if (plan.moves().isEmpty()) {
                if (plan.settled() && !moved.isEmpty()) {
                    LOG.infof("Rebalancing round %d is over: %d job(s) moved, every node is within one job of its"
                            + " share or can take none", round, moved.size());
                    rows.endRound(round);
                } else {
                    LOG.debugf("Rebalancing waits: %d moves were asked for in the last minute, the limit",
                            maxMovesPerMinute);
                }
                return;
            }
            List<UUID> asked = new ArrayList<>();
            for (RebalancePlanner.Move move : plan.moves()) {
                // a transaction of its own, this one suspended: the release goes out once the move committed
                if (steering.rebalance(move.jobId(), move.from(), move.to())) {
                    asked.add(move.jobId());
                }
            }
            rows.recordMoves(round, asked);
            LOG.infof("Rebalancing round %d: asked for %d of %d planned move(s)%s", round, asked.size(),
                    plan.moves().size(), plan.settled() ? "" : "; more wait for the limit of "
                            + maxMovesPerMinute + " a minute");
        });
    }
}
