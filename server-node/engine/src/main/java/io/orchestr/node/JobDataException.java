package io.orchestr.node;

/**
 * A job's params do not bind to the type a handler asked for, or a handler's result cannot be its job's result
 * (it does not serialize, or it is larger than {@link io.orchestr.shared.Limits#RESULT} bytes). The message names
 * the job and the type.
 */
public class JobDataException extends NodeException {
    public JobDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
