package io.orchestr.shared;

/** How a failure is told in one line, the same way in every log and error text of Orchestr. */
public final class Causes {
    private Causes() {
    }

    /**
     * The first line of the innermost cause's message, or that cause's class name when it has none: the innermost
     * cause is the one that says what went wrong ("Connection refused"), the outer ones only where.
     */
    public static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
