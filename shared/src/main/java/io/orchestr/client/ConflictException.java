package io.orchestr.client;

/** The job name is taken by a job that is not {@code Deleted} (HTTP 409). */
public class ConflictException extends OrchestratorException {
    public ConflictException(String message) {
        super(message, 409);
    }
}
