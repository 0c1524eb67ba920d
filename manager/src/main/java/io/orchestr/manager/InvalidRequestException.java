package io.orchestr.manager;

/** A request the API refuses, naming the field at fault when there is one. */
public class InvalidRequestException extends ManagerException {
    private final String field;

    public InvalidRequestException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The request field at fault, or null when the request as a whole is. */
    public String field() {
        return field;
    }
}
