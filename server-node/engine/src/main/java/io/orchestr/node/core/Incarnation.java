package io.orchestr.node.core;

import io.orchestr.node.NodeListener;
import io.orchestr.node.NodeSettings;
import io.orchestr.shared.json.WireCodec;
import io.orchestr.shared.wire.JobMessage;
import io.orchestr.shared.wire.ToManager;
import io.orchestr.shared.wire.ToNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * One node incarnation: a broker {@link Session}, its {@link Lease}, and the {@link HeldJobs} whose messages it
 * holds. It hands what the broker delivers to the held job it is about (docs/architecture.md, "The claim protocol
 * as implemented"), sends the snapshots, and closes in two halves. It dies with its connection: the next connection
 * is a new incarnation, with a new id and no jobs. Engine-confined, except {@link #lease}, {@link #sever},
 * {@link #proveLease} and {@link #onConfirmed}.
 */
final class Incarnation {
    private static final Logger LOG = LoggerFactory.getLogger(Incarnation.class);
    /** A heartbeat newer than the last one reported by less than this is no news: the managers store them so. */
    private static final Duration HEARTBEAT_RESOLUTION = Duration.ofSeconds(10);
    final UUID nodeId;
    private final NodeSettings settings;
    private final Loop loop;
    private final NodeListener listener;
    /** The node's drain, which outlives this incarnation. */
    private final Drain drain;
    /** Reads the runs' output files for the managers, off the engine thread. */
    private final OutputServer outputs;
    private WireCodec codec;
    private Session session;
    private volatile ConfirmedSender sender;
    private volatile Lease lease;
    /** Sent on the {@link LeaseProver}'s thread. */
    private volatile LeaseProofs proofs;
    /** Read by {@link #sever} on the fence watchdog's thread. */
    private volatile HeldJobs jobs;
    private Duration fenceTimeout;
    /** Snapshots to send before the next full one. */
    private long snapshotsUntilFull;
    private boolean live;

    Incarnation(UUID nodeId, NodeSettings settings, Loop loop, NodeListener listener, Drain drain,
                OutputServer outputs) {
        this.nodeId = nodeId;
        this.outputs = outputs;
        this.drain = drain;
        this.settings = settings;
        this.loop = loop;
        this.listener = listener;
    }

    /**
     * Connects, sends a first snapshot and waits for its confirm, then consumes the job queues, unless the node
     * drains: it then consumes none until it is undrained.
     */
    void open(WireCodec codec, SessionEvents events) throws IOException, TimeoutException {
        this.codec = codec;
        session = Session.open(settings, nodeId, codec, events);
        live = true;
        try {
            fenceTimeout = fenceTimeoutFor(session.negotiatedHeartbeat());
            lease = new Lease(fenceTimeout);
            proofs = session.openLeaseProofs(lease);
            sender = new ConfirmedSender(session, lease, action -> loop.post(() -> {
                if (live) {
                    action.run();
                }
            }), listener);
            jobs = new HeldJobs(nodeId, settings, loop, listener, session, sender, lease, outputs.files(),
                    drain::holdsNothing);
            if (drain.drains()) {
                jobs.drain();
                LOG.info("Node {} ({}) drains: it consumes no job queue until it is undrained", settings.name(),
                        nodeId);
            }
            sendSnapshot(settings.clock().instant());
            if (!sender.awaitAll(fenceTimeout)) {
                throw new IOException("the broker did not confirm the first snapshot within "
                        + Durations.brief(fenceTimeout));
            }
            if (!drain.drains()) {
                session.consumeJobs(settings.jobQueues(), settings.slots());
            }
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
            timeout = Lease.timeoutFor(configured, heartbeat);
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

    /** Proves the lease when a proof is due ({@link LeaseProofs}); on the {@link LeaseProver}'s thread. */
    void proveLease() {
        LeaseProofs current = proofs;
        if (current != null) {
            current.proveIfDue();
        }
    }

    /** Thread-safe. */
    Lease lease() {
        return lease;
    }

    /**
     * The broker blocked the connection (a resource alarm): publishes wait, and the lease holds (see {@link Lease}),
     * so running jobs go on; new claims, ends and checkpoints wait for the alarm to clear. Thread-safe.
     */
    void onBlocked(String reason) {
        Lease current = lease;
        if (current != null) {
            current.blocked();
        }
        LOG.warn("The broker blocked node {} ({}) from publishing: {}. Its running jobs go on; claims, ends and"
                + " checkpoints wait until the broker's alarm clears", settings.name(), nodeId, reason);
    }

    /** The broker unblocked the connection: the lease runs again from now. Thread-safe. */
    void onUnblocked() {
        Lease current = lease;
        if (current != null) {
            current.unblocked();
        }
        LOG.info("The broker unblocked node {} ({}): publishing again", settings.name(), nodeId);
    }

    /** The broker node this incarnation is connected to, {@code host:port}. */
    String broker() {
        return session.broker();
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
        jobs.stopAllAtOnce();
        session.sever();
    }

    /** False once the incarnation was retired: events about its deliveries are then meaningless. */
    boolean isLive() {
        return live;
    }

    void onJobDelivered(long deliveryTag, JobMessage message) {
        jobs.hold(deliveryTag, message);
    }

    void onJobUnreadable(long deliveryTag, String queue, String error) {
        session.deadLetter(deliveryTag);
        malformed(queue, error);
    }

    void onControlUnreadable(long deliveryTag, String queue, String error) {
        session.deadLetterControl(deliveryTag);
        malformed(queue, error);
    }

    /** A job message that is not the managers': dead-lettered, so that nothing runs or holds a slot for it. */
    void onJobRefused(long deliveryTag, String queue, String what, String why) {
        session.deadLetter(deliveryTag);
        refused(queue, what, why);
    }

    /** A control message that is not the managers': dead-lettered, acted on in no way. */
    void onControlRefused(long deliveryTag, String queue, String what, String why) {
        session.deadLetterControl(deliveryTag);
        refused(queue, what, why);
    }

    void onControl(long deliveryTag, ToNode message) {
        session.ackControl(deliveryTag);
        switch (message) {
            case ToNode.Decisions decisions -> {
                jobs.batchesUnderstood();
                jobs.batchAnswered(decisions.batch());
                decisions.grants().forEach(this::onJobMessage);
                decisions.drops().forEach(this::onJobMessage);
                decisions.waits().forEach(this::onJobMessage);
                LOG.debug("Batch {} decided: {} granted, {} dropped, {} to wait", decisions.batch(),
                        decisions.grants().size(), decisions.drops().size(), decisions.waits().size());
            }
            case ToNode.Drain ask -> {
                if (drain.managersAsk(ask.drain(), ask.seq())) {
                    drainChanged("the managers asked");
                }
            }
            case ToNode.Output output -> LOG.debug("Ignoring a request for the output of job {} without a reply"
                    + " address", output.jobId());
            case ToNode.AboutJob about -> onJobMessage(about);
        }
    }

    /**
     * A manager asks for bytes of a run's output: read and answered on the output thread, to {@code replyTo}
     * (RabbitMQ's direct reply-to of the asking manager's channel) with {@code correlationId}.
     */
    void onOutputAsked(long deliveryTag, ToNode.Output request, String replyTo, String correlationId) {
        session.ackControl(deliveryTag);
        Session asked = session;
        outputs.serve(request, chunk -> asked.reply(replyTo, correlationId, codec.encode(chunk)));
    }

    /**
     * The node's drain changed ({@link Drain#drains}): draining, it stops consuming every job queue (its pools' and
     * its own) and releases what it holds ({@link HeldJobs#drain}); undrained, it consumes them again.
     */
    void drainChanged(String why) {
        if (drain.drains()) {
            session.stopConsumingJobs();
            LOG.info("Node {} ({}) drains ({}): it takes no new job and hands back the {} it holds", settings.name(),
                    nodeId, why, jobs.all().size());
            jobs.drain();
            return;
        }
        jobs.undrain();
        if (jobs.closing()) {
            return; // an undrain that arrives while the node closes: it consumes nothing any more
        }
        try {
            session.consumeJobs(settings.jobQueues(), settings.slots());
            LOG.info("Node {} ({}) is undrained ({}): it takes jobs again", settings.name(), nodeId, why);
        } catch (IOException | RuntimeException e) {
            // the channel is gone: the session's loss, reported on its own, starts a new incarnation, which consumes
            LOG.warn("Node {} ({}) could not consume its job queues again: {}", settings.name(), nodeId, e.toString());
        }
    }

    /** True when the incarnation holds no job's message. */
    boolean holdsNothing() {
        return jobs.holdsNothing();
    }

    private void onJobMessage(ToNode.AboutJob message) {
        if (message instanceof ToNode.ClaimReply reply && reply.claim() != 0) {
            jobs.batchesUnderstood(); // only managers that decide batches name claim ids
        }
        HeldJob job = jobs.get(message.jobId());
        switch (message) {
            case ToNode.HoldQuestion question -> answer(question, jobs.holds(question.jobId()));
            case ToNode.Grant grant when answers(job, grant) -> job.granted(grant, jobs.endedEpoch(job.id()));
            case ToNode.Drop drop when answers(job, drop) -> job.dropped(drop.reason());
            case ToNode.Wait wait when answers(job, wait) -> job.waitAnswered(wait.ownerId());
            case ToNode.Cancel cancel when job != null -> job.cancelled();
            case ToNode.Stop stop when job != null -> job.stopped(stop.epoch(), stop.reason());
            case ToNode.Release release when job != null -> job.released(release.epoch(), release.reason());
            case ToNode.CheckpointReply reply -> jobs.checkpointAnswered(reply);
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
        return job != null && (reply.claim() == 0 || reply.claim() == job.claimId());
    }

    /** Thread-safe: renews the lease on the broker client's thread; the follow-ups run on the engine thread. */
    void onConfirmed(long seqNo, boolean multiple, boolean positive) {
        sender.confirmed(seqNo, multiple, positive);
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
        List<ToManager.SnapshotEntry> entries = new ArrayList<>();
        int claiming = 0;
        int held = 0;
        Duration heartbeatAge = Duration.ZERO;
        for (HeldJob job : jobs.all()) {
            held++;
            claiming += job.phase().isClaiming() ? 1 : 0;
            job.snapshotEntry(full, HEARTBEAT_RESOLUTION).ifPresent(entries::add);
            Duration since = job.sinceHeartbeat();
            heartbeatAge = since.compareTo(heartbeatAge) > 0 ? since : heartbeatAge;
        }
        sender.send(new ToManager.Snapshot(nodeId, settings.name(), settings.slots(), settings.pools(), now, entries,
                full, claiming, drain.report(jobs.holdsNothing()), settings.exec(),
                settings.roles().stream().sorted().toList(), settings.handlers().keySet().stream().sorted().toList()),
                Session.Delivery.SUPERSEDED,
                full ? "full snapshot" : "snapshot");
        listener.reported(settings.slots(), held, heartbeatAge);
    }

    /** Stops the runs that broke their job's limits: its heartbeat timeout, or its run timeout. */
    void checkLimits() {
        jobs.all().forEach(HeldJob::checkLimits);
    }

    /**
     * Stops every job at once without acking (the deliveries are dead or about to be) and drops the connection.
     *
     * @return how many jobs it held
     */
    int abandon(String why) {
        live = false;
        int count = jobs.abandon(why);
        session.abort();
        return count;
    }

    /**
     * First half of a graceful close: stops consuming and asks every handler to stop.
     *
     * @return completes once no handler runs any more
     */
    CompletableFuture<Void> beginClose() {
        session.stopConsumingJobs();
        return jobs.beginClose();
    }

    /**
     * Second half: interrupts handlers that are still running, tells the managers the incarnation leaves, hands
     * every held message back, closes the connection.
     */
    void finishClose() {
        jobs.closeGraceOver();
        sender.send(new ToManager.NodeLeft(nodeId), Session.Delivery.DURABLE, "node-left");
        if (!sender.awaitAll(fenceTimeout)) {
            LOG.warn("The broker did not confirm that node {} left; the managers will see its control queue gone",
                    nodeId);
        }
        jobs.handBackAll("the node is closing");
        live = false;
        session.close();
    }

    /** Holding a message in any phase counts: the claimant's copy is then a duplicate, and ours stays. */
    private void answer(ToNode.HoldQuestion question, boolean holds) {
        sender.send(new ToManager.HoldAnswer(question.jobId(), nodeId, question.claimantId(), holds, question.claim()),
                jobs.claimsInBatches() ? Session.Delivery.CLAIM : Session.Delivery.DURABLE, "hold answer");
        LOG.info("Told the managers this node {} job {} (claimed by {})", holds ? "holds" : "does not hold",
                question.jobId(), question.claimantId());
    }

    private void refused(String queue, String what, String why) {
        LOG.warn("Refused a {} on {}: {}; dead-lettered it", what, queue, why);
    }

    private void malformed(String queue, String error) {
        LOG.warn("Dead-lettered an unreadable message from {}: {}", queue, error);
        listener.malformedMessage(queue, error);
    }
}
