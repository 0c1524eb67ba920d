package io.orchestr.manager;

/** The root of the manager's own unchecked exceptions; the REST API maps each kind to its 4xx answer. */
public class ManagerException extends RuntimeException {
    public ManagerException(String message) {
        super(message);
    }

    public ManagerException(String message, Throwable cause) {
        super(message, cause);
    }
}
