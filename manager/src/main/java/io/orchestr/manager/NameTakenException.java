package io.orchestr.manager;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Job names that are taken: by jobs that are not {@code Deleted}, or by an earlier element of the same batch.
 */
public class NameTakenException extends ManagerException {
    private final List<String> names;
    private final Integer index;

    public NameTakenException(String name) {
        this(List.of(name));
    }

    /** Jobs that are not {@code Deleted} have these names; an empty list when it is not known which names. */
    public NameTakenException(List<String> names) {
        this(names.size() == 1 ? "a job named '" + names.getFirst() + "' exists already and is not Deleted"
                : "jobs named " + quoted(names) + " exist already and are not Deleted", names, null);
    }

    private NameTakenException(String message, List<String> names, Integer index) {
        super(message);
        this.names = List.copyOf(names);
        this.index = index;
    }

    /** Element {@code index} of a batch gives a name that an earlier element gives too. */
    public static NameTakenException twiceInBatch(String name, int index) {
        return new NameTakenException("element " + index + ": the batch names a job '" + name + "' twice",
                List.of(name), index);
    }

    /**
     * The names found taken, in the order the request gave them. Empty when a concurrent creation took one of
     * them between the check and the insert: the unique index refused the insert without saying which.
     */
    public List<String> names() {
        return names;
    }

    /** The element of a batch that gives a name twice, counted from 0; null otherwise. */
    public Integer index() {
        return index;
    }

    private static String quoted(List<String> names) {
        return names.stream().map(name -> "'" + name + "'").collect(Collectors.joining(", "));
    }
}
