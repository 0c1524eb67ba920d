package io.orchestr.shared;

import java.util.regex.Pattern;

/**
 * The rules and defaults for the names a job and a node share, checked by the manager and the node alike: pools
 * (which end up in broker queue names) and handler types.
 */
public final class Names {
    private static final Pattern POOL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    /** The pool every job and node uses unless told otherwise. */
    public static final String DEFAULT_POOL = "default";
    /** The handler type of a job created without one. */
    public static final String DEFAULT_TYPE = "default";
    /** What a valid pool name is, for error messages. */
    public static final String POOL_RULE = "1 to 64 letters, digits, '-' or '_', starting with a letter or digit";

    private Names() {
    }

    /** True when {@code pool} can be part of a queue name: {@value #POOL_RULE}. */
    public static boolean isValidPool(String pool) {
        return pool != null && POOL.matcher(pool).matches();
    }
}
