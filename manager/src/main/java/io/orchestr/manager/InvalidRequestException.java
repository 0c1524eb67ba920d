package io.orchestr.manager;

/** A request the API refuses, naming the field at fault when there is one, and the element of a batch. */
public class InvalidRequestException extends ManagerException {
    private final String field;
    private final Integer index;

    public InvalidRequestException(String field, String message) {
        this(field, message, null);
    }

    private InvalidRequestException(String field, String message, Integer index) {
        super(message);
        this.field = field;
        this.index = index;
    }

    /** This refusal as that of element {@code index} of a batch, which the message then names. */
    public InvalidRequestException inElement(int index) {
        return new InvalidRequestException(field, "element " + index + ": " + getMessage(), index);
    }

    /** The request field at fault, or null when the request as a whole is. */
    public String field() {
        return field;
    }

    /**
     * The element of a batch at fault, counted from 0; null when the request is not a batch, or the batch as a
     * whole is at fault.
     */
    public Integer index() {
        return index;
    }
}
