package io.orchestr.cli;

import io.orchestr.client.AwaitTimeoutException;
import io.orchestr.client.ConflictException;
import io.orchestr.client.JobNotCompletedException;
import io.orchestr.client.NotFoundException;
import io.orchestr.client.OrchestratorException;

/** The exit codes scripts may rely on; {@code docs} of the CLI list them. */
final class ExitCode {
    static final int OK = 0;
    static final int ERROR = 1;
    static final int USAGE = 2;
    static final int NOT_FOUND = 3;
    static final int CONFLICT = 4;
    static final int JOB_FAILED = 5;
    static final int TIMED_OUT = 6;
    static final int NOT_ALLOWED = 7;

    private ExitCode() {
    }

    /** The exit code for a failed call to the manager. */
    static int of(OrchestratorException failure) {
        if (failure instanceof NotFoundException) {
            return NOT_FOUND;
        }
        if (failure instanceof ConflictException) {
            return CONFLICT;
        }
        if (failure instanceof JobNotCompletedException) {
            return JOB_FAILED;
        }
        if (failure instanceof AwaitTimeoutException) {
            return TIMED_OUT;
        }
        return switch (failure.status()) {
            case 401, 403 -> NOT_ALLOWED;
            case 404 -> NOT_FOUND;
            case 409 -> CONFLICT;
            default -> ERROR;
        };
    }
}
