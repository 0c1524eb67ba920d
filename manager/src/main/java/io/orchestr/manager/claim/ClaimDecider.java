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
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Decides who may run a job (see "The claim protocol as implemented" in docs/architecture.md). Each decision
 * runs in its own transaction with the job's row locked, so concurrent claims for one job, on any manager,
 * are decided one after the other. The replies are returned, not sent: the caller sends them once the
 * transaction has committed.
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

    /** A node received the job's message and asks to run it. */
    @Transactional
    public List<ControlMessage> onClaim(ToManager.Claim claim) {
        Optional<JobEntity> job = store.lockJob(claim.jobId());
        if (job.isEmpty()) {
            return List.of(drop(claim.jobId(), claim.nodeId(), claim.claim(), "unknown job"));
        }
        return decide(job.get(), claim.nodeId(), claim.claim(), Optional.empty());
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
        if (answer.holds()) {
            return List.of(drop(job.id, answer.claimantId(), answer.claim(),
                    "duplicate copy: node " + answer.nodeId() + " still holds the job"));
        }
        return decide(job, answer.claimantId(), answer.claim(),
                Optional.of("it answered that it no longer holds the job"));
    }

    /** {@code claim}: the claimant's id for the delivery it claims, named in every reply. */
    private List<ControlMessage> decide(JobEntity job, UUID claimant, long claim, Optional<String> ownerGoneReason) {
        return switch (job.status) {
            case Completed, Failed, Deleted -> List.of(drop(job.id, claimant, claim, "job is " + job.status));
            case Deleting -> decideCancelling(job, claimant, claim, ownerGoneReason);
            case Queued, Processing -> decideRunnable(job, claimant, claim, ownerGoneReason);
        };
    }

    /**
     * A claim of a job whose owner was told to cancel it. Only the owner's end, or the owner being gone, makes it
     * {@code Deleted}: until then its handler may still run, and its name stays taken.
     */
    private List<ControlMessage> decideCancelling(JobEntity job, UUID claimant, long claim,
                                                  Optional<String> ownerGoneReason) {
        UUID owner = job.ownerId;
        if (claimant.equals(owner)) {
            // a claim the owner sent before its grant arrived: the same grant again, nothing to write; a node
            // that runs the job already ignores it, and one still claiming ends it as cancelled once the cancel
            // has reached it
            LOG.debugf("Granting job %s, being cancelled, to its owner %s again under epoch %d", job.id, owner,
                    job.epoch);
            return List.of(ControlMessage.toNode(claimant, new ToNode.Grant(job.id, job.epoch, claim)));
        }
        Optional<String> gone = owner == null ? Optional.of("it has no owner")
                : ownerGoneReason.or(() -> liveness.goneReason(owner));
        if (gone.isEmpty()) {
            return List.of(drop(job.id, claimant, claim, "job is being cancelled on node " + owner));
        }
        job.delete(clock.instant());
        LOG.infof("Job %s was being cancelled and its owner is gone (%s): it is Deleted now", job.id, gone.get());
        return List.of(drop(job.id, claimant, claim, "job was cancelled"));
    }

    private List<ControlMessage> decideRunnable(JobEntity job, UUID claimant, long claim,
                                                Optional<String> ownerGoneReason) {
        UUID owner = job.ownerId;
        if (owner == null || owner.equals(claimant)) {
            return List.of(grant(job, claimant, claim));
        }
        Optional<String> gone = ownerGoneReason.or(() -> liveness.goneReason(owner));
        if (gone.isPresent()) {
            ControlMessage grant = grant(job, claimant, claim);
            LOG.infof("Job %s moves from node %s (%s) to node %s under epoch %d", job.id, owner, gone.get(),
                    claimant, job.epoch);
            return List.of(grant);
        }
        LOG.debugf("Job %s is claimed by node %s but node %s may still hold it: asking it", job.id, claimant, owner);
        return List.of(ControlMessage.toNode(claimant, new ToNode.Wait(job.id, owner, claim)),
                ControlMessage.toNode(owner, new ToNode.HoldQuestion(job.id, claimant, claim)));
    }

    private ControlMessage grant(JobEntity job, UUID claimant, long claim) {
        job.grantTo(claimant, clock.instant());
        LOG.debugf("Granted job %s to node %s under epoch %d", job.id, claimant, job.epoch);
        return ControlMessage.toNode(claimant, new ToNode.Grant(job.id, job.epoch, claim));
    }

    private static ControlMessage drop(UUID jobId, UUID claimant, long claim, String reason) {
        LOG.debugf("Dropping node %s's copy of job %s: %s", claimant, jobId, reason);
        return ControlMessage.toNode(claimant, new ToNode.Drop(jobId, reason, claim));
    }
}
