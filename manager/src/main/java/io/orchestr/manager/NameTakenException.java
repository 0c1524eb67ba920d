package io.orchestr.manager;

/** A job with this name exists already and is not {@code Deleted}. */
public class NameTakenException extends ManagerException {
    public NameTakenException(String name) {
        super("a job named '" + name + "' exists already and is not Deleted");
    }
}
