package io.orchestr.node.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestr.node.JobHandler;
import io.orchestr.node.NodeListener;
import io.orchestr.node.NodeSettings;
import io.orchestr.shared.wire.JobMessage;
import io.orchestr.shared.wire.ToManager;
import io.orchestr.shared.wire.ToManager.Outcome;
import io.orchestr.shared.wire.ToNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

/**
 * The jobs one incarnation holds, keyed by job id, and the {@link JobEffects} their transitions act through: the
 * claim window and the claim sender, acks and nacks on the session, end reports through the sender, handler runs
 * and timers on the engine's loop, checkpoints through {@link Checkpoints}. Engine-confined, except {@link
 * #stopAllAtOnce} and the checkpoint store each run gets, which its handler calls on its own thread.
 */
final class HeldJobs implements JobEffects {
    private static final Logger LOG = LoggerFactory.getLogger(HeldJobs.class);
    /**
     * How many running jobs a drain releases at a time; the next ones once these are gone. A few at a time keeps the
     * managers' requeues and the other nodes' claims small, and the node's jobs running until their turn.
     */
    static final int DRAIN_BATCH = 10;
    /** How many ended jobs an incarnation remembers, to know a copy that comes back after the end (R6). */
    private static final int ENDED_REMEMBERED = 10_000;

    private final UUID nodeId;
    private final NodeSettings settings;
    private final HeldJob.Rules rules;
    private final Loop loop;
    private final NodeListener listener;
    private final Session session;
    private final ConfirmedSender sender;
    private final Lease lease;
    private final ClaimWindow claims = new ClaimWindow(ClaimWindow.SIZE);
    private final ClaimSender claimSender;
    private final Checkpoints checkpoints;
    /** Where the runs' output goes; shared by the node's incarnations. */
    private final OutputFiles outputs;
    private final Map<UUID, HeldJob> held = new LinkedHashMap<>();
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
    /**
     * A delivery of a job whose end this incarnation reported but the broker has not confirmed yet: the managers may
     * apply the end and publish the job's next message (a restart, a resume) before that confirm arrives. The new
     * message is not a duplicate of the ended one; it waits here until the ended job is gone, then is held as any
     * other.
     */
    private final Map<UUID, Delivery> behindEnded = new HashMap<>();
    /** The runs whose thread has not ended; shared with the fence watchdog's thread. */
    private final Set<Run> alive = ConcurrentHashMap.newKeySet();
    /** What each run of this incarnation is given. */
    private final Run.Host runHost;
    /** Numbers the deliveries this incarnation claims; replies name the claim they answer. */
    private long lastClaimId;
    /** Set by a graceful close; completes once no handler runs any more. */
    private CompletableFuture<Void> drained;
    /** True while the node drains: it takes no job and releases those it holds, {@link #DRAIN_BATCH} at a time. */
    private boolean draining;
    /** The jobs the drain released that are still held. */
    private final Set<UUID> releasing = new HashSet<>();
    /** Told whenever the incarnation holds nothing any more while it drains. */
    private final Runnable holdsNothing;

    HeldJobs(UUID nodeId, NodeSettings settings, Loop loop, NodeListener listener, Session session,
             ConfirmedSender sender, Lease lease, OutputFiles outputs, Runnable holdsNothing) {
        this.nodeId = nodeId;
        this.outputs = outputs;
        this.holdsNothing = holdsNothing;
        this.settings = settings;
        this.rules = new HeldJob.Rules(settings.restartPolicy(), settings.cancelGrace());
        this.loop = loop;
        this.listener = listener;
        this.session = session;
        this.sender = sender;
        this.lease = lease;
        this.claimSender = new ClaimSender(nodeId, sender, loop, HeldJob::isClaimable);
        this.checkpoints = new Checkpoints(nodeId, sender, loop, settings.checkpointTimeout(), listener);
        this.runHost = new Run.Host(settings.name(), nodeId, settings.clock(), lease, settings.manager(), loop::post,
                alive);
    }

    /**
     * A job's message arrived: a copy of a job held already is acked; one of a job whose end awaits its confirm waits
     * for it; any other is held and claimed.
     */
    void hold(long deliveryTag, JobMessage message) {
        HeldJob existing = held.get(message.jobId());
        if (existing != null && existing.phase() == JobPhase.ENDED) {
            Delivery earlier = behindEnded.put(message.jobId(), new Delivery(deliveryTag, message));
            if (earlier != null) {
                session.ack(earlier.tag());
                LOG.info("Acked a duplicate copy of job {}, whose next message already waits here", message.jobId());
            }
            LOG.debug("Job {}'s next message waits for the confirm of the end of {}", message.jobId(), existing);
            return;
        }
        if (existing != null) {
            session.ack(deliveryTag);
            LOG.info("Acked a duplicate copy of {}, which this node already holds", existing);
            return;
        }
        if (draining) {
            // a delivery that was on its way when the node stopped consuming: never claimed, so nothing ran
            session.requeue(deliveryTag);
            LOG.info("Handed job '{}' ({}) back to its queue at once: the node drains", message.name(),
                    message.jobId());
            return;
        }
        HeldJob job = new HeldJob(message, deliveryTag, ++lastClaimId, settings.clock().instant(), rules, this);
        held.put(job.id(), job);
        if (closing()) {
            job.nodeClosing(); // while closing, new arrivals are only handed back
        } else if (claims.admit(job)) {
            job.claim();
        }
    }

    /** The job held under {@code jobId}, or null. */
    HeldJob get(UUID jobId) {
        return held.get(jobId);
    }

    /** True when this incarnation holds the job, or ended it and the managers may not know yet. */
    boolean holds(UUID jobId) {
        return held.containsKey(jobId) || ended.containsKey(jobId);
    }

    /** The epoch under which this incarnation ended the job, or null. */
    Long endedEpoch(UUID jobId) {
        return ended.get(jobId);
    }

    /** Every held job, in the order of their deliveries. */
    Collection<HeldJob> all() {
        return Collections.unmodifiableCollection(held.values());
    }

    /** True once a manager showed it decides batches. */
    boolean claimsInBatches() {
        return claimSender.batches();
    }

    /** A manager's reply named a claim id: claims go in batches from now on, and the window widens. */
    void batchesUnderstood() {
        if (!claimSender.batches()) {
            claimSender.batchesUnderstood();
            claims.widen(ClaimWindow.BATCHED, HeldJob::isClaimable).forEach(HeldJob::claim);
        }
    }

    /** The managers answered batch {@code batch}. */
    void batchAnswered(long batch) {
        claimSender.answered(batch);
    }

    /** The managers answered a checkpoint a run sent. */
    void checkpointAnswered(ToNode.CheckpointReply reply) {
        checkpoints.answered(reply);
    }

    /**
     * The lease lapsed: asks every run to stop and interrupts it, from the fence watchdog's thread, without waiting
     * for the engine thread. Thread-safe.
     */
    void stopAllAtOnce() {
        alive.forEach(Run::stopAtOnce);
    }

    /**
     * The incarnation's deliveries are dead: every job is abandoned and forgotten.
     *
     * @return how many jobs it held
     */
    int abandon(String why) {
        checkpoints.abandon(why);
        held.values().forEach(job -> job.abandoned(why));
        int count = held.size();
        held.clear();
        behindEnded.clear(); // dead deliveries too: the broker requeues them
        if (closing()) {
            drained.complete(null);
        }
        afterLeaving();
        return count;
    }

    /**
     * The node drains: jobs whose claim never went out are handed back at once (nothing ran); those whose claim is
     * in flight end {@code RELEASED} on their grant, without a run (a drop acks them); running ones are released, as
     * the managers release them ({@link HeldJob#released}), {@link #DRAIN_BATCH} at a time: each ends {@code
     * RELEASED} once its handler returned, and the managers queue it again for another node only then, so its runs
     * never overlap. The caller has stopped consuming.
     */
    void drain() {
        draining = true;
        for (HeldJob job : List.copyOf(held.values())) {
            if (job.phase().isClaiming() && !job.claimSent()) {
                job.handBack("the node drains; it never ran here");
            } else if (job.phase().isClaiming()) {
                job.released(job.epoch(), "the node drains");
            }
        }
        afterLeaving();
    }

    /** The node takes jobs again; releases under way go on, the managers decide where those jobs run next. */
    void undrain() {
        draining = false;
        releasing.clear();
    }

    /** True when the incarnation holds no job's message. */
    boolean holdsNothing() {
        return held.isEmpty();
    }

    /**
     * First half of a graceful close: asks every handler to stop.
     *
     * @return completes once no handler runs any more
     */
    CompletableFuture<Void> beginClose() {
        drained = new CompletableFuture<>();
        held.values().forEach(HeldJob::nodeClosing);
        runGone();
        return drained;
    }

    /** Second half: interrupts the handlers that outlived the close's grace. */
    void closeGraceOver() {
        held.values().forEach(HeldJob::closeGraceOver);
    }

    /** Last: hands every held message back. */
    void handBackAll(String reason) {
        for (HeldJob job : List.copyOf(held.values())) {
            job.handBack(reason);
        }
    }

    @Override
    public Backoff sendClaim(HeldJob job) {
        claimSender.send(job);
        return claimSender.batches() ? Backoff.UNANSWERED_BATCH : Backoff.CLAIM;
    }

    @Override
    public boolean admitAhead(HeldJob job) {
        return claims.admitNow(job);
    }

    @Override
    public void claimOver(HeldJob job) {
        claims.release(job, HeldJob::isClaimable).ifPresent(HeldJob::claim);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return loop.schedule(task, delay);
    }

    @Override
    public Start startRun(HeldJob job) {
        JobMessage message = job.message();
        JobHandler handler = settings.handlers().get(message.type());
        if (handler == null) {
            return new Start.NoHandler("no handler for job type '" + message.type() + "' on node '" + settings.name()
                    + "', which knows " + new TreeSet<>(settings.handlers().keySet()));
        }
        long epoch = job.epoch();
        return new Start.Started(Run.start(handler, job, runHost, state -> checkpoints.store(job, epoch, lease, state),
                outputs.open(message.jobId(), epoch, job + " under epoch " + epoch)));
    }

    @Override
    public void ack(HeldJob job) {
        held.remove(job.id());
        session.ack(job.deliveryTag());
        afterLeaving();
    }

    @Override
    public void handBack(HeldJob job) {
        held.remove(job.id());
        session.requeue(job.deliveryTag());
        Delivery next = behindEnded.remove(job.id());
        if (next != null) {
            session.requeue(next.tag());
        }
        afterLeaving();
    }

    @Override
    public void reportEnd(HeldJob job, Outcome outcome, String error, JsonNode result) {
        ended.put(job.id(), job.epoch());
        sender.send(new ToManager.JobEnded(job.id(), nodeId, job.epoch(), outcome, job.restarts(), error, result,
                        job.progress()),
                Session.Delivery.DURABLE, "end of " + job, () -> {
                    if (held.get(job.id()) == job) { // not handed back by a close meanwhile
                        held.remove(job.id());
                        session.ack(job.deliveryTag());
                        Delivery next = behindEnded.remove(job.id());
                        if (next != null) {
                            hold(next.tag(), next.message());
                        }
                        afterLeaving();
                    }
                });
    }

    @Override
    public void runGone() {
        if (closing() && held.values().stream().noneMatch(HeldJob::hasRun)) {
            drained.complete(null);
        }
    }

    @Override
    public NodeListener listener() {
        return listener;
    }

    /**
     * A job is no longer held: while draining, the next running jobs are released, up to {@link #DRAIN_BATCH} at a
     * time, and an incarnation that holds nothing says so.
     */
    private void afterLeaving() {
        if (!draining) {
            return;
        }
        releasing.retainAll(held.keySet());
        for (HeldJob job : List.copyOf(held.values())) {
            if (releasing.size() >= DRAIN_BATCH) {
                break;
            }
            if ((job.phase() == JobPhase.RUNNING || job.phase() == JobPhase.RESTARTING) && releasing.add(job.id())) {
                job.released(job.epoch(), "the node drains");
            }
        }
        if (held.isEmpty()) {
            holdsNothing.run();
        }
    }

    /** A delivery on the incarnation's jobs channel. */
    private record Delivery(long tag, JobMessage message) {
    }

    /** True from {@link #beginClose} on. */
    boolean closing() {
        return drained != null;
    }
}
