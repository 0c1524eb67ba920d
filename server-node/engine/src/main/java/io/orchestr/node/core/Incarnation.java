package io.orchestr.node.core;

import io.orchestr.node.NodeListener;
import io.orchestr.node.NodeSettings;
import io.orchestr.shared.json.WireCodec;
import io.orchestr.shared.wire.JobMessage;
import io.orchestr.shared.wire.ToManager;
import io.orchestr.shared.wire.ToManager.Outcome;
import io.orchestr.shared.wire.ToNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * One node incarnation: a broker {@link Session} and the jobs whose messages it holds, keyed by job id, with the
 * claim protocol around them (docs/architecture.md, "The claim protocol as implemented"). It dies with its
 * connection: the next connection is a new incarnation, with a new id and no jobs. Engine-confined, except {@link
 * #lease}, {@link #sever} and {@link #onConfirmed}.
 */
final class Incarnation {
    private static final Logger LOG = LoggerFactory.getLogger(Incarnation.class);
    /** A heartbeat newer than the last one reported by less than this is no news: the managers store them so. */
    private static final Duration HEARTBEAT_RESOLUTION = Duration.ofSeconds(10);
    /** How many ended jobs an incarnation remembers, to know a copy that comes back after the end (R6). */
    private static final int ENDED_REMEMBERED = 10_000;
    final UUID nodeId;
    private final NodeSettings settings;
    private final Loop loop;
    private final NodeListener listener;
    private final Map<UUID, HeldJob> held = new LinkedHashMap<>();
    private final ClaimWindow claims = new ClaimWindow(ClaimWindow.SIZE);
    private final Runs runs;
    /**
     * Epoch of each job this incarnation ended, newest last. Until the managers applied the end, a copy of the job
     * that reaches this node may still be granted under that epoch, and another node may still be asked whether
     * this one holds the job: both must see it as held (docs/architecture.md, "Ended jobs").
     */
    private final Map<UUID, Long> ended = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Long> eldest) {
            return size() > ENDED_REMEMBERED;
        }
    };
    private Session session;
    private volatile Outbox outbox;
    private volatile Lease lease;
    private ClaimSender claimSender;
    private Duration fenceTimeout;
    /** Snapshots to send before the next full one. */
    private long snapshotsUntilFull;
    /** Numbers the deliveries this incarnation claims; replies name the claim they answer. */
    private long lastClaimId;
    private boolean live;
    /** Set by a graceful close; completes once no handler runs any more. */
    private CompletableFuture<Void> drained;

    Incarnation(UUID nodeId, NodeSettings settings, Loop loop, NodeListener listener) {
        this.nodeId = nodeId;
        this.settings = settings;
        this.loop = loop;
        this.listener = listener;
        this.runs = new Runs(this, settings, loop, listener);
    }

    /** Connects, sends a first snapshot and waits for its confirm, then consumes the job queues. */
    void open(WireCodec codec, SessionEvents events) throws IOException, TimeoutException {
        session = Session.open(settings, nodeId, codec, events);
        live = true;
        try {
            fenceTimeout = fenceTimeoutFor(session.negotiatedHeartbeat());
            lease = new Lease(fenceTimeout);
            outbox = new Outbox(session, lease, action -> loop.post(() -> {
                if (live) {
                    action.run();
                }
            }));
            claimSender = new ClaimSender(nodeId, outbox, loop, this::stillClaiming);
            sendSnapshot(settings.clock().instant());
            if (!outbox.awaitAll(fenceTimeout)) {
                throw new IOException("the broker did not confirm the first snapshot within "
                        + Durations.brief(fenceTimeout));
            }
            session.consumeJobs(settings.pools(), settings.slots());
        } catch (IOException | RuntimeException e) {
            live = false;
            session.abort();
            throw e;
        }
    }

    /** The fence timeout for a broker that negotiated {@code heartbeat} (R7); logs when it is shorter. */
    private Duration fenceTimeoutFor(Duration heartbeat) throws IOException {
        Duration configured = settings.fenceTimeout();
        Duration timeout;
        try {
            timeout = Lease.timeoutFor(configured, heartbeat, settings.heartbeatInterval());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (!timeout.equals(configured)) {
            LOG.warn("The broker negotiated a connection heartbeat of {}, lower than the {} this node asked for: the"
                            + " node fences itself after {} without a confirm instead of the configured {}",
                    Durations.brief(heartbeat), Durations.brief(settings.rabbitMq().heartbeat()),
                    Durations.brief(timeout), Durations.brief(configured));
        }
        return timeout;
    }

    /** Thread-safe. */
    Lease lease() {
        return lease;
    }

    /** The fence timeout in force for this incarnation. */
    Duration fenceTimeout() {
        return fenceTimeout;
    }

    /**
     * The lease lapsed: stops every run at once and closes the connection's socket, from the fence watchdog's
     * thread. The engine thread may be blocked in a publish to that very socket; closing it unblocks it, and the
     * engine then retires this incarnation. Thread-safe.
     */
    void sever() {
        runs.stopAllAtOnce();
        session.sever();
    }

    /** False once the incarnation was retired: events about its deliveries are then meaningless. */
    boolean isLive() {
        return live;
    }

    void onJobDelivered(long deliveryTag, JobMessage message) {
        HeldJob existing = held.get(message.jobId());
        if (existing != null) {
            session.ack(deliveryTag);
            LOG.info("Acked a duplicate copy of {}, which this node already holds", existing);
            return;
        }
        HeldJob job = new HeldJob(message, deliveryTag, ++lastClaimId, settings.clock().instant());
        held.put(job.id(), job);
        if (!closing() && claims.admit(job)) { // while closing, new arrivals are only handed back
            claim(job);
        }
    }

    void onJobUnreadable(long deliveryTag, String queue, String error) {
        session.deadLetter(deliveryTag);
        malformed(queue, error);
    }

    void onControlUnreadable(long deliveryTag, String queue, String error) {
        session.deadLetterControl(deliveryTag);
        malformed(queue, error);
    }

    void onControl(long deliveryTag, ToNode message) {
        session.ackControl(deliveryTag);
        switch (message) {
            case ToNode.Decisions decisions -> {
                batchesUnderstood();
                claimSender.answered(decisions.batch());
                decisions.grants().forEach(this::onJobMessage);
                decisions.drops().forEach(this::onJobMessage);
                decisions.waits().forEach(this::onJobMessage);
                LOG.debug("Batch {} decided: {} granted, {} dropped, {} to wait", decisions.batch(),
                        decisions.grants().size(), decisions.drops().size(), decisions.waits().size());
            }
            case ToNode.AboutJob about -> onJobMessage(about);
        }
    }

    private void onJobMessage(ToNode.AboutJob message) {
        if (message instanceof ToNode.ClaimReply reply && reply.claim() != 0) {
            batchesUnderstood(); // only managers that decide batches name claim ids
        }
        HeldJob job = held.get(message.jobId());
        switch (message) {
            case ToNode.HoldQuestion question ->
                    answer(question, job != null || ended.containsKey(question.jobId()));
            case ToNode.Grant grant when answers(job, grant) -> granted(job, grant.epoch());
            case ToNode.Drop drop when answers(job, drop) -> dropped(job, drop.reason());
            case ToNode.Wait wait when answers(job, wait) -> waitFor(job, wait.ownerId());
            case ToNode.Cancel cancel when job != null -> cancelled(job);
            case ToNode.Stop stop when job != null -> stop(job, stop);
            default -> LOG.debug("Ignored {}: this incarnation does not hold that job, or the reply is about an"
                    + " earlier copy of it", message);
        }
    }

    /**
     * True when a reply is about {@code job}'s current delivery. A reply about an earlier copy (a drop or grant
     * that was slow to arrive) must not act on a newer one (R5); a reply without a claim id comes from a manager
     * that predates them.
     */
    private static boolean answers(HeldJob job, ToNode.ClaimReply reply) {
        return job != null && (reply.claim() == 0 || reply.claim() == job.claimId);
    }

    private void batchesUnderstood() {
        if (!claimSender.batches()) {
            claimSender.batchesUnderstood();
            claims.widen(ClaimWindow.BATCHED, this::stillClaiming).forEach(this::claim);
        }
    }

    private boolean stillClaiming(HeldJob job) {
        return isHeld(job) && job.phase == HeldJob.Phase.CLAIMING && !closing();
    }

    /** Thread-safe: renews the lease on the broker client's thread; the follow-ups run on the engine thread. */
    void onConfirmed(long seqNo, boolean multiple, boolean positive) {
        outbox.confirmed(seqNo, multiple, positive);
    }

    /**
     * Sends a snapshot: of every held job once per full report period (the first one included), and otherwise of
     * the jobs whose entry has news since it was last reported. The period is the longest the managers' view of
     * the node's jobs stays wrong when a partial snapshot was lost (it expired unread during a manager outage, or
     * failed to apply) or a run went stale unnoticed. The broker's confirm of it is what
     * keeps the fence away.
     */
    void sendSnapshot(Instant now) {
        boolean full = snapshotsUntilFull-- <= 0;
        if (full) {
            snapshotsUntilFull = Math.max(0, settings.fullReportPeriod().dividedBy(settings.heartbeatInterval()) - 1);
        }
        List<ToManager.HeldJob> jobs = new ArrayList<>();
        int claiming = 0;
        for (HeldJob job : held.values()) {
            if (job.phase == HeldJob.Phase.ENDING) {
                continue;
            }
            claiming += job.phase == HeldJob.Phase.CLAIMING ? 1 : 0;
            ToManager.HeldJob entry = job.toWire();
            if (full || job.hasNews(entry, HEARTBEAT_RESOLUTION)) {
                jobs.add(entry);
                job.reported = entry;
            }
        }
        outbox.send(new ToManager.Snapshot(nodeId, settings.name(), settings.slots(), settings.pools(), now, jobs,
                full, claiming), Session.Delivery.SUPERSEDED, full ? "full snapshot" : "snapshot");
    }

    /** Stops the runs that went without a heartbeat for longer than their job's heartbeat timeout. */
    void checkHeartbeats() {
        for (HeldJob job : held.values()) {
            runs.checkHeartbeat(job);
        }
    }

    boolean isHeld(HeldJob job) {
        return held.get(job.id()) == job;
    }

    /** Reports the job's end for good; its message is acked once the broker confirmed the report. */
    void end(HeldJob job, Outcome outcome, String error) {
        job.cancelTimer();
        job.phase = HeldJob.Phase.ENDING;
        claimOver(job);
        ended.put(job.id(), job.epoch);
        outbox.send(new ToManager.JobEnded(job.id(), nodeId, job.epoch, outcome, job.restarts, error),
                Session.Delivery.DURABLE, "end of " + job, () -> {
            if (isHeld(job)) {
                held.remove(job.id());
                session.ack(job.deliveryTag);
            }
        });
        LOG.info("Job '{}' ({}) ended {} under epoch {} after {} restarts{}", job.message.name(), job.id(), outcome,
                job.epoch, job.restarts, error == null ? "" : ": " + error);
        listener.jobEnded(job.id(), outcome, error);
    }

    /** Nacks the job's message back to its queue, for another node (or this one) to claim. */
    void handBack(HeldJob job, String reason) {
        job.cancelTimer();
        held.remove(job.id());
        claimOver(job);
        session.requeue(job.deliveryTag);
        LOG.info("Handed {} back to its queue: {}", job, reason);
        listener.jobHandedBack(job.id(), reason);
    }

    /** A run ended; while closing, completes the wait for handlers once none runs any more. */
    void runGone() {
        if (closing() && held.values().stream().noneMatch(job -> job.run != null)) {
            drained.complete(null);
        }
    }

    /**
     * Stops every job at once without acking (the deliveries are dead or about to be) and drops the connection.
     *
     * @return how many jobs it held
     */
    int abandon(String why) {
        live = false;
        for (HeldJob job : held.values()) {
            job.cancelTimer();
            runs.abandon(job, why);
        }
        int count = held.size();
        held.clear();
        if (closing()) {
            drained.complete(null);
        }
        session.abort();
        return count;
    }

    /**
     * First half of a graceful close: stops consuming and asks every handler to stop.
     *
     * @return completes once no handler runs any more
     */
    CompletableFuture<Void> beginClose() {
        drained = new CompletableFuture<>();
        session.stopConsumingJobs();
        for (HeldJob job : held.values()) {
            job.cancelTimer();
            runs.stopForClose(job);
        }
        runGone();
        return drained;
    }

    /**
     * Second half: interrupts handlers that are still running, tells the managers the incarnation leaves, hands
     * every held message back, closes the connection.
     */
    void finishClose() {
        for (HeldJob job : held.values()) {
            if (job.run != null) {
                LOG.warn("The handler of {} did not return within the cancel grace of {}: interrupted it; handing"
                        + " the job back anyway", job, Durations.brief(settings.cancelGrace()));
                job.stopRunAtOnce();
            }
        }
        outbox.send(new ToManager.NodeLeft(nodeId), Session.Delivery.DURABLE, "node-left");
        if (!outbox.awaitAll(fenceTimeout)) {
            LOG.warn("The broker did not confirm that node {} left; the managers will see its control queue gone",
                    nodeId);
        }
        for (HeldJob job : List.copyOf(held.values())) {
            handBack(job, "the node is closing");
        }
        live = false;
        session.close();
    }

    /** True from {@link #beginClose} on. */
    private boolean closing() {
        return drained != null;
    }

    private void claim(HeldJob job) {
        claimSender.send(job);
        LOG.debug("Claimed {} (claim {}, sent {} times)", job, job.claimId, job.claimsSent + 1);
        Backoff unanswered = claimSender.batches() ? Backoff.UNANSWERED_BATCH : Backoff.CLAIM;
        repeatClaim(job, unanswered.delay(job.claimsSent++));
    }

    private void repeatClaim(HeldJob job, Duration delay) {
        job.cancelTimer();
        job.timer = loop.schedule(() -> {
            if (stillClaiming(job)) {
                claim(job);
            }
        }, delay);
    }

    /** Another incarnation may still hold the job: the owner's answer decides, or else a repeat soon. */
    private void waitFor(HeldJob job, UUID ownerId) {
        if (job.phase != HeldJob.Phase.CLAIMING) {
            return;
        }
        LOG.debug("Waiting for {}: incarnation {} may still hold it", job, ownerId);
        repeatClaim(job, Backoff.CLAIM.delay(job.waits++));
    }

    private void granted(HeldJob job, long epoch) {
        if (job.phase != HeldJob.Phase.CLAIMING) {
            LOG.debug("Ignored another grant of {} (epoch {}); it was granted epoch {}", job, epoch, job.epoch);
            return;
        }
        if (closing()) {
            LOG.info("Not starting {} under epoch {}: the node is closing and hands it back", job, epoch);
            return;
        }
        job.cancelTimer();
        Long endedEpoch = ended.get(job.id());
        if (endedEpoch != null && epoch <= endedEpoch) {
            forget(job);
            LOG.info("Acked a copy of {} granted under epoch {}: this node ended the job under epoch {} already, and"
                    + " the managers had not applied that end yet", job, epoch, endedEpoch);
            return;
        }
        job.epoch = epoch;
        listener.granted(job.id(), epoch);
        if (job.cancelRequested) {
            claimOver(job);
            LOG.info("Not starting {} under epoch {}: it was cancelled while this node claimed it", job, epoch);
            end(job, Outcome.CANCELLED, null);
            return;
        }
        runs.start(job);
        claimOver(job);
    }

    private void dropped(HeldJob job, String reason) {
        if (job.phase != HeldJob.Phase.CLAIMING) {
            LOG.warn("Ignored a drop of {} ({}): it was already granted epoch {}", job, reason, job.epoch);
            return;
        }
        job.cancelTimer();
        forget(job);
        LOG.info("Dropped {} as the manager said ({}); its message is acked", job, reason);
        listener.dropped(job.id(), reason);
    }

    /** Acks a claiming job's message and forgets the job. */
    private void forget(HeldJob job) {
        held.remove(job.id());
        claimOver(job);
        session.ack(job.deliveryTag);
    }

    /**
     * The user cancelled the job. A job still being claimed is not this node's to end: without a grant the
     * managers would refuse an end under epoch 0 while its message was acked, and the job would stay {@code
     * Deleting} (R4). It is claimed at once instead, ahead of the claim window: a grant is then ended as cancelled
     * without starting the handler, a drop acks the copy.
     */
    private void cancelled(HeldJob job) {
        if (job.phase != HeldJob.Phase.CLAIMING) {
            runs.cancel(job);
            return;
        }
        job.cancelRequested = true;
        if (!closing() && claims.admitNow(job)) {
            claim(job);
        }
    }

    /** Frees the job's place in the claim window for the next held job that waits to be claimed. */
    private void claimOver(HeldJob job) {
        claims.release(job, this::stillClaiming).ifPresent(this::claim);
    }

    private void stop(HeldJob job, ToNode.Stop stop) {
        if (stop.epoch() < job.epoch) {
            LOG.info("Ignored a stale stop of {} for epoch {}: it runs under epoch {}", job, stop.epoch(), job.epoch);
            return;
        }
        runs.stop(job, "the manager stopped epoch " + stop.epoch()
                + (stop.reason() == null ? "" : ": " + stop.reason()));
    }

    /** Holding a message in any phase counts: the claimant's copy is then a duplicate, and ours stays. */
    private void answer(ToNode.HoldQuestion question, boolean holds) {
        outbox.send(new ToManager.HoldAnswer(question.jobId(), nodeId, question.claimantId(), holds, question.claim()),
                claimSender.batches() ? Session.Delivery.CLAIM : Session.Delivery.DURABLE, "hold answer");
        LOG.info("Told the managers this node {} job {} (claimed by {})", holds ? "holds" : "does not hold",
                question.jobId(), question.claimantId());
    }

    private void malformed(String queue, String error) {
        LOG.warn("Dead-lettered an unreadable message from {}: {}", queue, error);
        listener.malformedMessage(queue, error);
    }
}
