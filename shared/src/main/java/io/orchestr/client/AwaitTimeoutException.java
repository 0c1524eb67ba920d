package io.orchestr.client;

/** A wait for a job ({@code awaitStatus}, {@code awaitEnd}, {@code awaitResult}) ran out of time first. */
public class AwaitTimeoutException extends OrchestratorException {
    public AwaitTimeoutException(String message) {
        super(message, 0);
    }
}
