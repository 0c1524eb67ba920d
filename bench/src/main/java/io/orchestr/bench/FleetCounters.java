package io.orchestr.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a {@link SimulatedFleet} did on the wire, summed over its nodes. Thread-safe: every connection thread adds
 * to it, the scenario reads it.
 */
final class FleetCounters {
    final LongAdder deliveries = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder claimBatches = new LongAdder();
    final LongAdder claimsSent = new LongAdder();
    final LongAdder decisions = new LongAdder();
    final LongAdder grants = new LongAdder();
    final LongAdder drops = new LongAdder();
    final LongAdder waits = new LongAdder();
    final LongAdder holdAnswers = new LongAdder();
    final LongAdder stops = new LongAdder();
    /** Control messages a fleet without handlers does not act on (cancels). */
    final LongAdder ignored = new LongAdder();
    final LongAdder fullReports = new LongAdder();
    final LongAdder partialReports = new LongAdder();
    final LongAdder reportEntries = new LongAdder();
    final LongAdder confirmed = new LongAdder();
    final LongAdder nacked = new LongAdder();
    final LongAdder connectionsLost = new LongAdder();
    /** Jobs granted and held as running right now. */
    final AtomicLong running = new AtomicLong();

    /** One line for the progress output. */
    String summary() {
        return String.format("%d running, %d deliveries, %d claims in %d batches, %d decisions (%d grants, %d drops,"
                        + " %d waits), %d reports", running.get(), deliveries.sum(), claimsSent.sum(),
                claimBatches.sum(), decisions.sum(), grants.sum(), drops.sum(), waits.sum(),
                fullReports.sum() + partialReports.sum());
    }
}
