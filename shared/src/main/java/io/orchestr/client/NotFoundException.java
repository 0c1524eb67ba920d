package io.orchestr.client;

/** The manager knows no job or server with that id (HTTP 404). */
public class NotFoundException extends OrchestratorException {
    public NotFoundException(String message) {
        super(message, 404);
    }
}
