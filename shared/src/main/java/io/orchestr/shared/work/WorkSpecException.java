package io.orchestr.shared.work;

/** Refuses an {@code exec} job's params, naming the field at fault as a JSON path. */
public class WorkSpecException extends IllegalArgumentException {
    private final String field;

    /**
     * @param field   the path of the field at fault, such as {@code params.sequence[1].command}
     * @param message what is wrong with it
     */
    public WorkSpecException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** The path of the field at fault, such as {@code params.sequence[1].command}. */
    public String field() {
        return field;
    }
}
