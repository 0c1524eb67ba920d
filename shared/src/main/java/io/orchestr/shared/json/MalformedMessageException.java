package io.orchestr.shared.json;

/** A message body that is not valid JSON for the expected record. Such messages are dead-lettered. */
public class MalformedMessageException extends RuntimeException {
    public MalformedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
