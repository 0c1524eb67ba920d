package io.orchestr.shared;

import java.util.regex.Pattern;

/**
 * Rules for the names that end up in broker queue names, checked by the manager and the node alike.
 */
public final class Names {
    private static final Pattern POOL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    /** The pool every job and node uses unless told otherwise. */
    public static final String DEFAULT_POOL = "default";

    private Names() {
    }

    /** True when {@code pool} can be part of a queue name: 1 to 64 letters, digits, '-' or '_'. */
    public static boolean isValidPool(String pool) {
        return pool != null && POOL.matcher(pool).matches();
    }
}
