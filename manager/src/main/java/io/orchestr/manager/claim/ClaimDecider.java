package io.orchestr.manager.claim;

import io.orchestr.manager.broker.ControlMessage;
import io.orchestr.manager.history.JobEvent;
import io.orchestr.manager.history.JobHistory;
import io.orchestr.manager.quarantine.CrashLoops;
import io.orchestr.manager.store.JobState;
import io.orchestr.manager.store.Store;
import io.orchestr.shared.JobEventKind;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.wire.JobMessage;
import io.orchestr.shared.json.WireCodec;
import io.orchestr.shared.wire.ToManager;
import io.orchestr.shared.wire.ToNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Decides who may run a job (see "The claim protocol as implemented" in docs/architecture.md). Each decision
 * runs in a transaction with the jobs' rows locked, so concurrent claims for one job, on any manager, are decided
 * one after the other. A node's batch of claims is decided in one transaction: one locking read, one statement per
 * kind of change, one commit. The replies are returned, not sent: the caller sends them once the transaction has
 * committed.
 */
@ApplicationScoped
public class ClaimDecider {
    private static final Logger LOG = Logger.getLogger(ClaimDecider.class);
    /**
     * How many bytes of checkpoints and specs one {@code decisions} message carries at most; grants beyond it go as
     * messages of their own. A batch of 1,000 grants of jobs with 64 KiB checkpoints, or arguments of up to a
     * million characters, would otherwise pass the broker's and the client's message size limits.
     */
    static final int DECISIONS_PAYLOAD = 4 * 1024 * 1024;
    /** Why an owner that answered a hold question no longer holds the job: it is alive, its run ended otherwise. */
    private static final String NO_LONGER_HOLDS = "it answered that it no longer holds the job";

    private final Store store;
    private final JobHistory history;
    private final OwnerLiveness liveness;
    private final CrashLoops crashLoops;
    private final WireCodec codec;
    private final Clock clock;
    private final ClaimMeters meters;

    ClaimDecider(Store store, JobHistory history, OwnerLiveness liveness, CrashLoops crashLoops, WireCodec codec,
                 Clock clock, ClaimMeters meters) {
        this.meters = meters;
        this.store = store;
        this.crashLoops = crashLoops;
        this.codec = codec;
        this.history = history;
        this.liveness = liveness;
        this.clock = clock;
    }

    /** A node that predates batches received the job's message and asks to run it; one reply per message. */
    @Transactional
    public List<ControlMessage> onClaim(ToManager.Claim claim) {
        return decide(claim.nodeId(), List.of(new ToManager.Claimed(claim.jobId(), claim.claim())),
                liveness::goneReason).oneByOne();
    }

    /**
     * Nodes ask to run every job of their batches: all the batches' rows locked at once, each batch decided in
     * turn (a job two batches claim is decided for the second as the first left it), one commit, one {@code
     * decisions} message back per batch. The owners' fates are looked up once per owner for the whole group.
     *
     * @return the replies of each batch, in order
     */
    @Transactional
    public List<List<ControlMessage>> onClaims(List<ToManager.Claims> batches) {
        Map<UUID, Optional<String>> fates = new HashMap<>();
        Function<UUID, Optional<String>> goneReason = owner -> fates.computeIfAbsent(owner, liveness::goneReason);
        Map<UUID, JobState> jobs = store.lockJobStates(batches.stream()
                .flatMap(batch -> batch.claims().stream().map(ToManager.Claimed::jobId)).toList());
        return batches.stream()
                .map(batch -> decide(jobs, batch.nodeId(), batch.claims(), goneReason).asBatch(batch.batch()))
                .toList();
    }

    /**
     * The owner answered whether it holds the job. Acts only if it still owns it: otherwise the job moved on
     * since the question, and the claimant's next claim is decided afresh.
     */
    @Transactional
    public List<ControlMessage> onHoldAnswer(ToManager.HoldAnswer answer) {
        JobState job = store.lockJobStates(List.of(answer.jobId())).get(answer.jobId());
        if (job == null || !answer.nodeId().equals(job.ownerId())) {
            LOG.debugf("Ignoring node %s's answer about job %s: it no longer owns it", answer.nodeId(),
                    answer.jobId());
            return List.of();
        }
        if (answer.holds()) {
            Decisions decisions = new Decisions(answer.claimantId(), owner -> Optional.empty(), new HashMap<>());
            decisions.drop(job.id(), answer.claim(),
                    "duplicate copy: node " + answer.nodeId() + " still holds the job");
            return decisions.oneByOne();
        }
        return decide(answer.claimantId(), List.of(new ToManager.Claimed(job.id(), answer.claim())),
                owner -> Optional.of(NO_LONGER_HOLDS)).oneByOne();
    }

    private Decisions decide(UUID claimant, List<ToManager.Claimed> claims,
                             Function<UUID, Optional<String>> goneReason) {
        Map<UUID, JobState> jobs = store.lockJobStates(claims.stream().map(ToManager.Claimed::jobId).toList());
        return decide(jobs, claimant, claims, goneReason);
    }

    /** Decides the claims of rows locked in {@code jobs}, and leaves each decided row there as decided. */
    private Decisions decide(Map<UUID, JobState> jobs, UUID claimant, List<ToManager.Claimed> claims,
                             Function<UUID, Optional<String>> goneReason) {
        Decisions decisions = new Decisions(claimant, goneReason, jobs);
        for (ToManager.Claimed claimed : claims) {
            JobState job = jobs.get(claimed.jobId());
            if (job == null) {
                decisions.drop(claimed.jobId(), claimed.claim(), "unknown job");
            } else {
                decisions.decide(job, claimed.claim());
            }
        }
        decisions.write();
        return decisions;
    }

    /** The replies to one claimant, decided job by job, the row changes they need, and the questions to owners. */
    private final class Decisions {
        private final UUID claimant;
        private final Function<UUID, Optional<String>> goneReason;
        /** The locked rows as decided so far in this transaction. */
        private final Map<UUID, JobState> jobs;
        private final List<ToNode.Grant> grants = new ArrayList<>();
        private final List<ToNode.Drop> drops = new ArrayList<>();
        private final List<ToNode.Wait> waits = new ArrayList<>();
        private final List<ControlMessage> questions = new ArrayList<>();
        private final List<UUID> toNewOwner = new ArrayList<>();
        private final List<UUID> toProcessing = new ArrayList<>();
        private final List<UUID> toDeleted = new ArrayList<>();
        private final List<UUID> toPaused = new ArrayList<>();
        private final List<UUID> toPlacedByType = new ArrayList<>();
        /** The claimant's job types, read at the first grant to a new owner; empty when they are not known. */
        private Optional<Set<String>> claimantTypes;
        /** The types of the locked jobs, read with the claimant's types when it reports any. */
        private Map<UUID, String> jobTypes;
        /** What the decisions add to the jobs' histories, in order: an old run's end before the next grant. */
        private final List<JobEvent> events = new ArrayList<>();
        private final Instant now = clock.instant();
        /** Jobs moved here from each gone owner, and why it is gone: logged once per owner, not once per job. */
        private final Map<UUID, String> movedFrom = new HashMap<>();
        private final Map<UUID, Integer> movedCount = new HashMap<>();

        Decisions(UUID claimant, Function<UUID, Optional<String>> goneReason, Map<UUID, JobState> jobs) {
            this.claimant = claimant;
            this.goneReason = goneReason;
            this.jobs = jobs;
        }

        /** {@code claim}: the claimant's id for the delivery it claims, named in every reply. */
        void decide(JobState job, long claim) {
            if (job.waitsForKey()) {
                // a copy from before the job was paused and resumed: its key's admission publishes a new one
                drop(job.id(), claim, "job waits for a place of its concurrency key");
                return;
            }
            switch (job.status()) {
                case Completed, Failed, Deleted, Paused -> drop(job.id(), claim, "job is " + job.status());
                case Deleting -> decideStopping(job, claim, JobStatus.Deleted, toDeleted);
                case Pausing -> decideStopping(job, claim, JobStatus.Paused, toPaused);
                case Queued, Processing -> decideRunnable(job, claim);
            }
        }

        /**
         * A claim of a job whose owner was told to cancel or pause it. Only the owner's end, or the owner being gone,
         * makes it {@code stopped} ({@code Deleted} or {@code Paused}): until then its handler may still run, and a
         * cancelled job's name stays taken.
         */
        private void decideStopping(JobState job, long claim, JobStatus stopped, List<UUID> toStopped) {
            UUID owner = job.ownerId();
            String stopping = stopped == JobStatus.Deleted ? "cancelled" : "paused";
            if (claimant.equals(owner)) {
                // a claim the owner sent before its grant arrived: the same grant again, nothing to write; a node
                // that runs the job already ignores it, and one still claiming ends it at once, as the cancel or
                // release that has reached it says
                LOG.debugf("Granting job %s, being %s, to its owner %s again under epoch %d", job.id(), stopping,
                        owner, job.epoch());
                grants.add(new ToNode.Grant(job.id(), job.epoch(), claim));
                return;
            }
            Optional<String> gone = owner == null ? Optional.of("it has no owner") : goneReason.apply(owner);
            if (gone.isEmpty()) {
                drop(job.id(), claim, "job is being " + stopping + " on node " + owner);
                return;
            }
            toStopped.add(job.id());
            jobs.put(job.id(), job.withStatus(stopped));
            String why = "its owner is gone (" + gone.get() + "): the " + (stopped == JobStatus.Deleted ? "cancel"
                    : "pause") + " is done";
            JobEvent end = stopped == JobStatus.Deleted ? JobEvent.deleted(job.id(), now, null, why)
                    : JobEvent.of(JobEventKind.STOPPED, job.id(), now).withDetail(why);
            events.add(owner == null ? end : end.withRun(owner, job.epoch()));
            LOG.infof("Job %s was being %s and its owner is gone (%s): it is %s now", job.id(), stopping, gone.get(),
                    stopped);
            drop(job.id(), claim, "job was " + stopping);
        }

        private void decideRunnable(JobState job, long claim) {
            UUID owner = job.ownerId();
            if (claimant.equals(owner)) {
                // the owner claiming again (claims repeat while unanswered, or the grant got lost): the same grant
                if (job.status() != JobStatus.Processing) {
                    toProcessing.add(job.id());
                    jobs.put(job.id(), job.withStatus(JobStatus.Processing));
                }
                grants.add(new ToNode.Grant(job.id(), job.epoch(), claim));
                return;
            }
            UUID target = job.placedOn();
            if (job.status() == JobStatus.Queued && target != null && !claimant.equals(target)
                    && goneReason.apply(target).isEmpty()) {
                // the copy for the node it was moved to waits on that node's own queue: this one is a duplicate.
                // Only a queued job: a running one whose owner died while a move was asked fails over anywhere
                drop(job.id(), claim, "job is placed on node " + target);
                return;
            }
            Optional<String> gone = owner == null ? Optional.of("") : goneReason.apply(owner);
            if (gone.isEmpty()) {
                LOG.debugf("Job %s is claimed by node %s but node %s may still hold it: asking it", job.id(), claimant,
                        owner);
                waits.add(new ToNode.Wait(job.id(), owner, claim));
                questions.add(ControlMessage.toNode(owner, new ToNode.HoldQuestion(job.id(), claimant, claim)));
                return;
            }
            if (owner != null && job.status() == JobStatus.Processing) {
                // the old run's end, as the manager learned it now; a Queued job's was recorded when it was
                // handed back or its node found gone
                events.add(JobEvent.stopped(job.id(), now, owner, job.epoch(), "run over: " + gone.get()
                        + " (found when node " + claimant + " claimed the job)"));
                // an owner that answered is alive: its run's end is no node death, and counts for no quarantine
                Optional<JobEvent> quarantined = NO_LONGER_HOLDS.equals(gone.get()) ? Optional.empty()
                        : crashLoops.runDied(job.id(), owner, now);
                if (quarantined.isPresent()) {
                    events.add(quarantined.get());
                    jobs.put(job.id(), job.withStatus(JobStatus.Paused));
                    drop(job.id(), claim, "job is quarantined");
                    return;
                }
            }
            if (!claimantRuns(job.id())) {
                placeByType(job, claim);
                return;
            }
            toNewOwner.add(job.id());
            events.add(JobEvent.granted(job.id(), now, claimant, job.epoch() + 1));
            grants.add(new ToNode.Grant(job.id(), job.epoch() + 1, claim)); // the row is locked: no other grant
            jobs.put(job.id(), job.granted(claimant, job.epoch() + 1));
            if (owner != null) {
                movedFrom.put(owner, gone.get());
                movedCount.merge(owner, 1, Integer::sum);
            }
            LOG.debugf("Granted job %s to node %s under epoch %d", job.id(), claimant, job.epoch() + 1);
        }

        /**
         * True unless the claimant reported its job types and the job's is not among them. A node that predates
         * types, or whose first snapshot has not been recorded yet, is taken to run every type, as before types.
         */
        private boolean claimantRuns(UUID jobId) {
            if (claimantTypes == null) {
                claimantTypes = store.jobTypesOf(claimant);
                jobTypes = claimantTypes.isEmpty() ? Map.of() : store.typesOf(jobs.keySet());
            }
            String type = jobTypes.get(jobId);
            return claimantTypes.isEmpty() || type == null || claimantTypes.get().contains(type);
        }

        /**
         * A claim, by a node that does not run the job's type, that would have been granted: the copy is dropped
         * (acked, so that it cannot go round the nodes that cannot run it) and the job waits {@code Queued} until the
         * republisher's sweep places it on a node of its pool that runs its type. Its owner, if any, is gone: the run
         * is over (its end was recorded above).
         */
        private void placeByType(JobState job, long claim) {
            toPlacedByType.add(job.id());
            jobs.put(job.id(), new JobState(job.id(), job.ownerId(), job.epoch(), JobStatus.Queued, null, null));
            drop(job.id(), claim, "node " + claimant + " does not run type " + jobTypes.get(job.id())
                    + ": the managers place the job on a node that does");
        }

        void drop(UUID jobId, long claim, String reason) {
            LOG.debugf("Dropping node %s's copy of job %s: %s", claimant, jobId, reason);
            drops.add(new ToNode.Drop(jobId, reason, claim));
        }

        /**
         * Writes the decided changes, one statement per kind, and logs the moves once per former owner. The grants
         * then get their jobs' last checkpoints, read under the same row locks: the run they start resumes from the
         * checkpoint the previous owner stored last, since no checkpoint of an older epoch can be stored after this.
         */
        void write() {
            attachCheckpoints();
            attachSpecs();
            if (!toNewOwner.isEmpty()) {
                store.grantToNewOwner(toNewOwner, claimant, now);
            }
            if (!toProcessing.isEmpty()) {
                store.markProcessing(toProcessing, now);
            }
            if (!toDeleted.isEmpty()) {
                store.markDeleted(toDeleted, now);
            }
            if (!toPaused.isEmpty()) {
                store.markPaused(toPaused, now);
            }
            if (!toPlacedByType.isEmpty()) {
                store.markPlacedByType(toPlacedByType, now);
                LOG.infof("%d job(s) claimed by node %s, which does not run their type, wait for a node that does",
                        toPlacedByType.size(), claimant);
            }
            history.recordAll(events);
            meters.decided(grants.size(), drops.size(), waits.size(), movedCount, toNewOwner);
            movedCount.forEach((owner, count) -> LOG.infof("%d job(s) move from node %s (%s) to node %s", count, owner,
                    movedFrom.get(owner), claimant));
        }

        private void attachCheckpoints() {
            if (grants.isEmpty()) {
                return;
            }
            Map<UUID, Store.StoredCheckpoint> stored = store.checkpoints(grants.stream().map(ToNode.Grant::jobId)
                    .toList());
            if (!stored.isEmpty()) {
                grants.replaceAll(grant -> {
                    Store.StoredCheckpoint checkpoint = stored.get(grant.jobId());
                    return checkpoint == null ? grant : grant.withCheckpoint(checkpoint.state(), checkpoint.at());
                });
            }
        }

        /**
         * Every grant carries the job as the database holds it now, and the node runs that, not the message it holds:
         * that message may have been published before an edit, or forged by another broker client with a real job's
         * id, so a job message is only a right to a slot (docs/architecture.md, "Trusted senders"). No edit can come
         * after this, as an edit needs a job no node holds.
         */
        private void attachSpecs() {
            if (grants.isEmpty()) {
                return;
            }
            Map<UUID, JobMessage> specs = store.specs(grants.stream().map(ToNode.Grant::jobId).toList());
            grants.replaceAll(grant -> specs.containsKey(grant.jobId()) ? grant.withSpec(specs.get(grant.jobId()))
                    : grant);
        }

        /** One message per reply, for nodes that predate batches. */
        List<ControlMessage> oneByOne() {
            List<ControlMessage> messages = new ArrayList<>();
            grants.forEach(grant -> messages.add(ControlMessage.toNode(claimant, grant)));
            drops.forEach(drop -> messages.add(ControlMessage.toNode(claimant, drop)));
            waits.forEach(wait -> messages.add(ControlMessage.toNode(claimant, wait)));
            messages.addAll(questions);
            return messages;
        }

        /**
         * One {@code decisions} message for the whole batch, and the questions to owners. Grants that carry more
         * than {@link #DECISIONS_PAYLOAD} of checkpoints and specs together go first, each as a message of its own,
         * which the node takes as it takes any grant.
         */
        List<ControlMessage> asBatch(long batch) {
            List<ControlMessage> messages = new ArrayList<>();
            List<ToNode.Grant> batched = new ArrayList<>(grants.size());
            long payload = 0;
            for (ToNode.Grant grant : grants) {
                if (grant.checkpoint() == null && grant.spec() == null) {
                    batched.add(grant);
                    continue;
                }
                int size = codec.encode(grant).length;
                if (payload + size > DECISIONS_PAYLOAD) {
                    messages.add(ControlMessage.toNode(claimant, grant));
                } else {
                    payload += size;
                    batched.add(grant);
                }
            }
            messages.add(ControlMessage.toNode(claimant, new ToNode.Decisions(batch, batched, drops, waits)));
            messages.addAll(questions);
            return messages;
        }
    }
}
