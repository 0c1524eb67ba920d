package io.orchestr.bench;

import io.orchestr.shared.wire.JobMessage;
import io.orchestr.shared.wire.ToManager;
import io.orchestr.shared.wire.ToNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One simulated node incarnation: what a real node does on the wire (server-node's {@code Incarnation} and {@code
 * ClaimSender}) without handlers. It holds each job message it receives and claims it in batches, applies the
 * managers' decisions (a grant makes the entry "running", a drop acks, a wait claims again later), answers hold
 * questions, and reports every interval: a full snapshot once per full report period, partial ones (only entries
 * with news) in between. A granted job never heartbeats, so a quiet node's partial reports list no job.
 *
 * <p>It starts by claiming in batches, as a real node does once a manager's reply named a claim id: the managers
 * this bench starts are of this build, so the single-claim phase of the rolling-upgrade protocol is skipped. The
 * real node's claim window (at most 2,000 claims in flight) is not simulated: it binds only above 2,000 slots.
 *
 * <p>Confined to its {@link FleetConnection}'s thread.
 */
final class SimulatedNode {
    /** As many batches as a manager decides at once; each answer lets the next go. */
    private static final int BATCHES_IN_FLIGHT = 4;
    /** A batch unanswered this long no longer holds back the next; its claims repeat on their own timers. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);
    /** Lets a burst of deliveries join one batch when none is in flight. */
    private static final Duration LINGER = Duration.ofMillis(2);

    final UUID id = UUID.randomUUID();
    final String name;
    final int slots;
    private final String pool;
    private final int reportsPerFull;
    private final FleetConnection connection;
    private final FleetCounters counters;
    private final Map<UUID, SimulatedJob> held = new HashMap<>();
    private final Deque<SimulatedJob> unsent = new ArrayDeque<>();
    private final Set<Long> inFlight = new HashSet<>();
    private long lastClaimId;
    private long lastBatch;
    private boolean flushPosted;
    private int reportsUntilFull;

    SimulatedNode(String name, int slots, String pool, int reportsPerFull, FleetConnection connection,
                  FleetCounters counters) {
        this.name = name;
        this.slots = slots;
        this.pool = pool;
        this.reportsPerFull = reportsPerFull;
        this.connection = connection;
        this.counters = counters;
    }

    void onDelivered(JobMessage message, long deliveryTag) {
        counters.deliveries.increment();
        if (held.containsKey(message.jobId())) {
            // a second copy of a job it holds: a duplicate, as a real node acks it at once
            connection.ack(deliveryTag);
            counters.duplicates.increment();
            return;
        }
        SimulatedJob job = new SimulatedJob(message.jobId(), deliveryTag, ++lastClaimId, Instant.now());
        held.put(job.id, job);
        claim(job);
    }

    void onControl(ToNode message) {
        switch (message) {
            case ToNode.Decisions decisions -> {
                counters.decisions.increment();
                decisions.grants().forEach(this::granted);
                decisions.drops().forEach(this::dropped);
                decisions.waits().forEach(this::waiting);
                if (inFlight.remove(decisions.batch())) {
                    flushSoon();
                }
            }
            case ToNode.Grant grant -> granted(grant);
            case ToNode.Drop drop -> dropped(drop);
            case ToNode.Wait wait -> waiting(wait);
            case ToNode.HoldQuestion question -> {
                connection.publishClaim(new ToManager.HoldAnswer(question.jobId(), id, question.claimantId(),
                        held.containsKey(question.jobId()), question.claim()));
                counters.holdAnswers.increment();
            }
            case ToNode.Stop stop -> stopped(stop);
            // simulated jobs are never steered and never checkpoint: a reply can only be a stray
            case ToNode.Cancel cancel -> counters.ignored.increment();
            case ToNode.Release release -> counters.ignored.increment();
            case ToNode.CheckpointReply reply -> counters.ignored.increment();
            // simulated nodes report no drain, so the managers never ask them to drain
            case ToNode.Drain drain -> counters.ignored.increment();
            // simulated jobs write no output, and managers ask only for that of jobs a node ran
            case ToNode.Output output -> counters.ignored.increment();
        }
    }

    private void granted(ToNode.Grant grant) {
        SimulatedJob job = claiming(grant.jobId(), grant.claim());
        if (job == null) {
            return;
        }
        job.running = true;
        job.epoch = grant.epoch();
        job.since = Instant.now();
        job.news = true;
        counters.grants.increment();
        counters.running.incrementAndGet();
    }

    private void dropped(ToNode.Drop drop) {
        SimulatedJob job = claiming(drop.jobId(), drop.claim());
        if (job != null) {
            held.remove(job.id);
            connection.ack(job.deliveryTag);
            counters.drops.increment();
        }
    }

    private void waiting(ToNode.Wait wait) {
        SimulatedJob job = claiming(wait.jobId(), wait.claim());
        if (job != null) {
            counters.waits.increment();
            repeatClaim(job, job.waitRepeat());
        }
    }

    /** A newer grant exists elsewhere: hand the message back, as a real node does after stopping the handler. */
    private void stopped(ToNode.Stop stop) {
        SimulatedJob job = held.get(stop.jobId());
        if (job != null && job.epoch <= stop.epoch()) {
            held.remove(job.id);
            connection.requeue(job.deliveryTag);
            if (job.running) {
                counters.running.decrementAndGet();
            }
            counters.stops.increment();
        }
    }

    /** The held job a reply is about, while it still waits for its decision. */
    private SimulatedJob claiming(UUID jobId, Long claim) {
        SimulatedJob job = held.get(jobId);
        return job != null && !job.running && job.answers(claim) ? job : null;
    }

    private boolean stillClaiming(SimulatedJob job) {
        return held.get(job.id) == job && !job.running;
    }

    private void claim(SimulatedJob job) {
        if (!job.unsent) {
            job.unsent = true;
            unsent.add(job);
            flushSoon();
        }
    }

    private void repeatClaim(SimulatedJob job, Duration delay) {
        int sent = job.claimsSent;
        connection.schedule(() -> {
            if (stillClaiming(job) && job.claimsSent == sent) {
                claim(job);
            }
        }, delay);
    }

    private void flushSoon() {
        if (!flushPosted && !unsent.isEmpty() && inFlight.size() < BATCHES_IN_FLIGHT) {
            flushPosted = true;
            connection.schedule(this::flush, inFlight.isEmpty() ? LINGER : Duration.ZERO);
        }
    }

    private void flush() {
        flushPosted = false;
        List<ToManager.Claimed> claims = new ArrayList<>();
        while (claims.size() < ToManager.Claims.MAX && !unsent.isEmpty()) {
            SimulatedJob job = unsent.poll();
            job.unsent = false;
            if (stillClaiming(job)) {
                claims.add(new ToManager.Claimed(job.id, job.claimId));
                job.claimsSent++;
                repeatClaim(job, job.unansweredRepeat());
            }
        }
        if (claims.isEmpty()) {
            return;
        }
        long batch = ++lastBatch;
        inFlight.add(batch);
        connection.publishClaim(new ToManager.Claims(id, batch, claims));
        counters.claimBatches.increment();
        counters.claimsSent.add(claims.size());
        connection.schedule(() -> {
            if (inFlight.remove(batch)) {
                flushSoon();
            }
        }, ANSWER_TIMEOUT);
        flushSoon();
    }

    /** Sends this interval's report: every held job when a full one is due, else only the entries with news. */
    void report() {
        boolean full = reportsUntilFull-- <= 0;
        if (full) {
            reportsUntilFull = reportsPerFull - 1;
        }
        List<ToManager.SnapshotEntry> entries = new ArrayList<>();
        int claiming = 0;
        for (SimulatedJob job : held.values()) {
            claiming += job.running ? 0 : 1;
            if (full || job.news) {
                entries.add(job.toWire());
                job.news = false;
            }
        }
        connection.publishReport(new ToManager.Snapshot(id, name, slots, List.of(pool), Instant.now(), entries, full,
                claiming));
        (full ? counters.fullReports : counters.partialReports).increment();
        counters.reportEntries.add(entries.size());
    }
}
