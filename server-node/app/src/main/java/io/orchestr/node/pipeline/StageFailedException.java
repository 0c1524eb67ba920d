package io.orchestr.node.pipeline;

/** A child of a pipeline ended other than {@code Completed}: the pipeline fails, its result says how each ended. */
final class StageFailedException extends RuntimeException {
    StageFailedException(String message) {
        super(message);
    }
}
