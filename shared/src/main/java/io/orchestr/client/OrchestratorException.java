package io.orchestr.client;

import java.util.Optional;
import java.util.OptionalInt;

/** A call to the manager failed; the message says why, in the manager's words when it answered. */
public class OrchestratorException extends RuntimeException {
    private final int status;
    private final String field;
    private final Integer index;

    public OrchestratorException(String message, int status) {
        this(message, status, null, null);
    }

    /**
     * @param field the request field at fault, when the manager named one
     * @param index the element of a batch at fault, when the manager named one
     */
    public OrchestratorException(String message, int status, String field, Integer index) {
        super(message);
        this.status = status;
        this.field = field;
        this.index = index;
    }

    public OrchestratorException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
        this.field = null;
        this.index = null;
    }

    /** The HTTP status of the answer, or 0 when there was none. */
    public int status() {
        return status;
    }

    /** The request field the manager found at fault, if it named one. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }

    /** The element of a batch the manager found at fault, counted from 0, if it named one. */
    public OptionalInt index() {
        return index == null ? OptionalInt.empty() : OptionalInt.of(index);
    }
}
