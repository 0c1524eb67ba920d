package io.orchestr.manager;

/** No job or server has the id asked for. */
public class UnknownIdException extends ManagerException {
    public UnknownIdException(String what, String id) {
        super("no " + what + " with id '" + id + "'");
    }
}
