package io.orchestr.node.exec;

/** An {@code exec} job's commands exited with a code other than 0: the run failed. */
final class CommandFailedException extends Exception {
    CommandFailedException(String message) {
        super(message, null, false, false);
    }

    @Override
    public String toString() {
        return getMessage(); // the job's last error reads "step 0 (make test) exited with 2", without a class name
    }
}
