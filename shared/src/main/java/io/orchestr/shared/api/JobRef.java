package io.orchestr.shared.api;

import io.orchestr.shared.JobStatus;

import java.util.UUID;

/** A job as listed under the server that runs it. */
public record JobRef(UUID id, String name, JobStatus status) {
}
