package io.orchestr.manager.store;

import io.orchestr.shared.JobStatus;

import java.util.UUID;

/** What snapshot handling needs to know of a job: who runs it under which epoch, and its status. */
public record JobState(UUID id, UUID ownerId, long epoch, JobStatus status) {
}
