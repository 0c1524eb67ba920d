package io.orchestr.bench;

/** A benchmark could not run or measure what it set out to; the message says what and, when known, why. */
class BenchException extends RuntimeException {
    BenchException(String message) {
        super(message);
    }

    BenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
