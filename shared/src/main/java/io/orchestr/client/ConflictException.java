package io.orchestr.client;

import java.util.List;

/**
 * Job names are taken by jobs that are not {@code Deleted}, or a batch gives one name twice (HTTP 409).
 */
public class ConflictException extends OrchestratorException {
    private final List<String> names;

    public ConflictException(String message) {
        this(message, null, List.of());
    }

    /**
     * @param index the element of a batch that gives a name twice, or null
     * @param names the names taken, as the manager listed them
     */
    public ConflictException(String message, Integer index, List<String> names) {
        super(message, 409, null, index);
        this.names = List.copyOf(names);
    }

    /** The names found taken, in the order the request gave them; empty when the manager listed none. */
    public List<String> names() {
        return names;
    }
}
