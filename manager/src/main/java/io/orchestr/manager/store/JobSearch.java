package io.orchestr.manager.store;

import io.orchestr.shared.JobStatus;

import java.util.UUID;

/** A job listing's filters; a null filter matches every job. {@code serverId} matches the jobs that server runs. */
public record JobSearch(JobStatus status, String name, UUID serverId, String pool) {
}
