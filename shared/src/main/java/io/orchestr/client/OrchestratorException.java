package io.orchestr.client;

/** A call to the manager failed; the message says why, in the manager's words when it answered. */
public class OrchestratorException extends RuntimeException {
    private final int status;

    public OrchestratorException(String message, int status) {
        super(message);
        this.status = status;
    }

    public OrchestratorException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    /** The HTTP status of the answer, or 0 when there was none. */
    public int status() {
        return status;
    }
}
