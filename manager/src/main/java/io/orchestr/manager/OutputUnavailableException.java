package io.orchestr.manager;

/**
 * A run's output cannot be read: {@link #GONE} (410) when the node that has it is gone, {@link #NO_ANSWER} (504)
 * when it did not answer in time, {@link #BROKER} (502) when the broker could not carry the request.
 */
public class OutputUnavailableException extends ManagerException {
    public static final int GONE = 410;
    public static final int BROKER = 502;
    public static final int NO_ANSWER = 504;

    private final int status;

    public OutputUnavailableException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status the REST API answers with. */
    public int status() {
        return status;
    }
}
