package io.orchestr.manager.store;

import io.orchestr.shared.JobStatus;

import java.util.UUID;

/**
 * What the claim path and snapshot handling need to know of a job: who runs it under which epoch, its status, what
 * its owner's release is for ({@code steer}, null for none) and the node its next run must start on ({@code
 * placedOn}, null for any), and whether it waits {@code Queued} for a place of its concurrency key ({@code
 * waitsForKey}: a copy of its message from before a pause is stale then, and its admission publishes a new one).
 */
public record JobState(UUID id, UUID ownerId, long epoch, JobStatus status, Steer steer, UUID placedOn,
                       boolean waitsForKey) {

    /** A job that waits for no place of a concurrency key. */
    public JobState(UUID id, UUID ownerId, long epoch, JobStatus status, Steer steer, UUID placedOn) {
        this(id, ownerId, epoch, status, steer, placedOn, false);
    }

    /**
     * This job granted to {@code owner} under {@code grantEpoch}: no steer left, and a placement only on that owner
     * (see {@link Store#grantToNewOwner}).
     */
    public JobState granted(UUID owner, long grantEpoch) {
        return new JobState(id, owner, grantEpoch, JobStatus.Processing, null, owner.equals(placedOn) ? owner : null);
    }

    /** This job in {@code newStatus}, all else kept. */
    public JobState withStatus(JobStatus newStatus) {
        return new JobState(id, ownerId, epoch, newStatus, steer, placedOn, waitsForKey);
    }

    /** True while the job's owner is asked to release its run: a pause, restart or move waits for it. */
    public boolean isReleasing() {
        return status == JobStatus.Pausing || status == JobStatus.Processing && steer != null;
    }
}
