package io.orchestr.shared;

import java.util.regex.Pattern;

/**
 * The rules and defaults for the names a job and a node share, checked by the manager and the node alike: pools
 * (which end up in broker queue names), handler types, and the text of job and node names.
 *
 * <p>No name may hold a control or format character (Unicode categories {@code Cc} and {@code Cf}: CR, LF, NUL,
 * bidi overrides, zero-width spaces...): names end up in log lines, tick files and terminals, where such a
 * character would forge a line or hide what the name really says.
 */
public final class Names {
    private static final Pattern POOL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    /** {@code \s} and {@code \p{Z}} together: ASCII blanks and every Unicode space or separator. */
    private static final Pattern TYPE = Pattern.compile("[^\\s\\p{Z}\\p{Cc}\\p{Cf}]{1,100}");
    private static final Pattern ROLE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern CONTROL_OR_FORMAT = Pattern.compile("[\\p{Cc}\\p{Cf}]");

    /** The pool every job and node uses unless told otherwise. */
    public static final String DEFAULT_POOL = "default";
    /** The handler type of a job created without one. */
    public static final String DEFAULT_TYPE = "default";
    /** What a valid pool name is, for error messages. */
    public static final String POOL_RULE = "1 to 64 letters, digits, '-' or '_', starting with a letter or digit";
    /** The handler type of command jobs, built into the runnable node and routed to queues of their own. */
    public static final String EXEC_TYPE = "exec";
    /** What a valid role (of an {@code exec} job's work, served by nodes) is, for error messages. */
    public static final String ROLE_RULE = "1 to 64 letters, digits, '.', '-' or '_', starting with a letter or digit";
    /** What a valid handler type is, for error messages. */
    public static final String TYPE_RULE = "1 to 100 characters without spaces, control or format characters";

    private Names() {
    }

    /** True when {@code pool} can be part of a queue name: {@value #POOL_RULE}. */
    public static boolean isValidPool(String pool) {
        return pool != null && POOL.matcher(pool).matches();
    }

    /** True when {@code role} can name a role of an {@code exec} job's work: {@value #ROLE_RULE}. */
    public static boolean isValidRole(String role) {
        return role != null && ROLE.matcher(role).matches();
    }

    /** True when {@code type} can name a handler: {@value #TYPE_RULE}. */
    public static boolean isValidType(String type) {
        return type != null && TYPE.matcher(type).matches();
    }

    /**
     * True when {@code text} holds a control or format character (Unicode categories {@code Cc} or {@code Cf}),
     * which no job or node name may hold.
     */
    public static boolean hasControlOrFormat(String text) {
        return CONTROL_OR_FORMAT.matcher(text).find();
    }
}
