package io.orchestr.manager;

/** A request the job or server cannot take in its present state (a pause of an ended job, say): a 409. */
public class ConflictException extends ManagerException {
    public ConflictException(String message) {
        super(message);
    }
}
