package io.orchestr.manager;

/** The job exists but has no run whose output could be shown (it never ran yet): a 404. */
public class NoOutputException extends ManagerException {
    public NoOutputException(String message) {
        super(message);
    }
}
