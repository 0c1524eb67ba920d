package io.orchestr.shared.api;

import io.orchestr.shared.JobStatus;

import java.util.UUID;

/**
 * A job as listed under the server that runs it.
 *
 * @param pool the job's pool (absent from older managers)
 */
public record JobRef(UUID id, String name, JobStatus status, String pool) {
}
