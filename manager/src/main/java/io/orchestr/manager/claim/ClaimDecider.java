package io.orchestr.manager.claim;

import io.orchestr.manager.broker.ControlMessage;
import io.orchestr.manager.store.JobEntity;
import io.orchestr.manager.store.Store;
import io.orchestr.shared.wire.ToManager;
import io.orchestr.shared.wire.ToNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Decides who may run a job (see "The claim protocol as implemented" in docs/architecture.md). Each decision
 * runs in a transaction with the jobs' rows locked, so concurrent claims for one job, on any manager, are decided
 * one after the other; a node's batch of claims is decided in one transaction. The replies are returned, not
 * sent: the caller sends them once the transaction has committed.
 */
@ApplicationScoped
public class ClaimDecider {
    private static final Logger LOG = Logger.getLogger(ClaimDecider.class);

    private final Store store;
    private final OwnerLiveness liveness;
    private final Clock clock;

    ClaimDecider(Store store, OwnerLiveness liveness, Clock clock) {
        this.store = store;
        this.liveness = liveness;
        this.clock = clock;
    }

    /** A node that predates batches received the job's message and asks to run it; one reply per message. */
    @Transactional
    public List<ControlMessage> onClaim(ToManager.Claim claim) {
        Decisions decisions = new Decisions(claim.nodeId(), liveness::goneReason);
        store.lockJob(claim.jobId()).ifPresentOrElse(job -> decisions.decide(job, claim.claim()),
                () -> decisions.drop(claim.jobId(), claim.claim(), "unknown job"));
        decisions.logMoves();
        return decisions.oneByOne();
    }

    /**
     * A node asks to run every job of the batch: all rows locked at once (in id order, so that overlapping
     * batches on two managers cannot deadlock), decided, one commit, one {@code decisions} message back. The
     * owners' fates are looked up once per owner for the whole batch.
     */
    @Transactional
    public List<ControlMessage> onClaims(ToManager.Claims batch) {
        Map<UUID, Optional<String>> fates = new HashMap<>();
        Decisions decisions = new Decisions(batch.nodeId(),
                owner -> fates.computeIfAbsent(owner, liveness::goneReason));
        Map<UUID, JobEntity> jobs = store.lockJobs(batch.claims().stream().map(ToManager.Claimed::jobId).toList());
        for (ToManager.Claimed claimed : batch.claims()) {
            JobEntity job = jobs.get(claimed.jobId());
            if (job == null) {
                decisions.drop(claimed.jobId(), claimed.claim(), "unknown job");
            } else {
                decisions.decide(job, claimed.claim());
            }
        }
        decisions.logMoves();
        return decisions.asBatch(batch.batch());
    }

    /**
     * The owner answered whether it holds the job. Acts only if it still owns it: otherwise the job moved on
     * since the question, and the claimant's next claim is decided afresh.
     */
    @Transactional
    public List<ControlMessage> onHoldAnswer(ToManager.HoldAnswer answer) {
        JobEntity job = store.lockJob(answer.jobId()).orElse(null);
        if (job == null || !answer.nodeId().equals(job.ownerId)) {
            LOG.debugf("Ignoring node %s's answer about job %s: it no longer owns it", answer.nodeId(),
                    answer.jobId());
            return List.of();
        }
        Decisions decisions = new Decisions(answer.claimantId(),
                owner -> Optional.of("it answered that it no longer holds the job"));
        if (answer.holds()) {
            decisions.drop(job.id, answer.claim(), "duplicate copy: node " + answer.nodeId() + " still holds the job");
        } else {
            decisions.decide(job, answer.claim());
        }
        decisions.logMoves();
        return decisions.oneByOne();
    }

    /** The replies to one claimant, decided job by job, and the questions to owners they need. */
    private final class Decisions {
        private final UUID claimant;
        private final Function<UUID, Optional<String>> goneReason;
        private final List<ToNode.Grant> grants = new ArrayList<>();
        private final List<ToNode.Drop> drops = new ArrayList<>();
        private final List<ToNode.Wait> waits = new ArrayList<>();
        private final List<ControlMessage> questions = new ArrayList<>();
        /** Jobs moved here from each gone owner, and why it is gone: logged once per owner, not once per job. */
        private final Map<UUID, String> movedFrom = new HashMap<>();
        private final Map<UUID, Integer> movedCount = new HashMap<>();

        Decisions(UUID claimant, Function<UUID, Optional<String>> goneReason) {
            this.claimant = claimant;
            this.goneReason = goneReason;
        }

        /** {@code claim}: the claimant's id for the delivery it claims, named in every reply. */
        void decide(JobEntity job, long claim) {
            switch (job.status) {
                case Completed, Failed, Deleted -> drop(job.id, claim, "job is " + job.status);
                case Deleting -> decideCancelling(job, claim);
                case Queued, Processing -> decideRunnable(job, claim);
            }
        }

        /**
         * A claim of a job whose owner was told to cancel it. Only the owner's end, or the owner being gone, makes
         * it {@code Deleted}: until then its handler may still run, and its name stays taken.
         */
        private void decideCancelling(JobEntity job, long claim) {
            UUID owner = job.ownerId;
            if (claimant.equals(owner)) {
                // a claim the owner sent before its grant arrived: the same grant again, nothing to write; a node
                // that runs the job already ignores it, and one still claiming ends it as cancelled once the
                // cancel has reached it
                LOG.debugf("Granting job %s, being cancelled, to its owner %s again under epoch %d", job.id, owner,
                        job.epoch);
                grants.add(new ToNode.Grant(job.id, job.epoch, claim));
                return;
            }
            Optional<String> gone = owner == null ? Optional.of("it has no owner") : goneReason.apply(owner);
            if (gone.isEmpty()) {
                drop(job.id, claim, "job is being cancelled on node " + owner);
                return;
            }
            job.delete(clock.instant());
            LOG.infof("Job %s was being cancelled and its owner is gone (%s): it is Deleted now", job.id, gone.get());
            drop(job.id, claim, "job was cancelled");
        }

        private void decideRunnable(JobEntity job, long claim) {
            UUID owner = job.ownerId;
            if (owner == null || owner.equals(claimant)) {
                grant(job, claim);
                return;
            }
            Optional<String> gone = goneReason.apply(owner);
            if (gone.isPresent()) {
                grant(job, claim);
                movedFrom.put(owner, gone.get());
                movedCount.merge(owner, 1, Integer::sum);
                LOG.debugf("Job %s moves from node %s (%s) to node %s under epoch %d", job.id, owner, gone.get(),
                        claimant, job.epoch);
                return;
            }
            LOG.debugf("Job %s is claimed by node %s but node %s may still hold it: asking it", job.id, claimant,
                    owner);
            waits.add(new ToNode.Wait(job.id, owner, claim));
            questions.add(ControlMessage.toNode(owner, new ToNode.HoldQuestion(job.id, claimant, claim)));
        }

        private void grant(JobEntity job, long claim) {
            job.grantTo(claimant, clock.instant());
            LOG.debugf("Granted job %s to node %s under epoch %d", job.id, claimant, job.epoch);
            grants.add(new ToNode.Grant(job.id, job.epoch, claim));
        }

        void drop(UUID jobId, long claim, String reason) {
            LOG.debugf("Dropping node %s's copy of job %s: %s", claimant, jobId, reason);
            drops.add(new ToNode.Drop(jobId, reason, claim));
        }

        void logMoves() {
            movedCount.forEach((owner, count) -> LOG.infof("%d job(s) move from node %s (%s) to node %s", count, owner,
                    movedFrom.get(owner), claimant));
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

        /** One {@code decisions} message for the whole batch, and the questions to owners. */
        List<ControlMessage> asBatch(long batch) {
            List<ControlMessage> messages = new ArrayList<>();
            messages.add(ControlMessage.toNode(claimant, new ToNode.Decisions(batch, grants, drops, waits)));
            messages.addAll(questions);
            return messages;
        }
    }
}
