package io.orchestr.manager.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestr.manager.InvalidRequestException;
import io.orchestr.manager.UnknownIdException;
import io.orchestr.shared.Limits;

import java.util.Arrays;
import java.util.Collection;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Reads path and query parameters, which arrive as strings: a value that does not parse is answered with a 400
 * naming the parameter (JAX-RS would answer 404 for a query parameter it cannot convert).
 */
final class Params {
    static final int DEFAULT_PAGE_SIZE = 50;

    private Params() {
    }

    /**
     * Refuses the first field of the JSON object {@code object} that is not in {@code allowed}: a 400 naming
     * {@code path} of it, saying {@code why} of it.
     */
    static void onlyFields(JsonNode object, Collection<String> allowed, UnaryOperator<String> path,
                           UnaryOperator<String> why) {
        object.fieldNames().forEachRemaining(field -> {
            if (!allowed.contains(field)) {
                throw new InvalidRequestException(path.apply(field), why.apply(field));
            }
        });
    }

    /** An id in a path: one that is not a UUID names nothing, hence 404. */
    static UUID pathId(String what, String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new UnknownIdException(what, id);
        }
    }

    /** An optional UUID filter. */
    static UUID uuid(String name, String value) {
        if (absent(value)) {
            return null;
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(name, name + " must be a UUID, not '" + value + "'");
        }
    }

    /** An optional filter on an enum whose constant names are the wire names, matched exactly. */
    static <E extends Enum<E>> E constant(String name, String value, Class<E> type) {
        if (absent(value)) {
            return null;
        }
        return Arrays.stream(type.getEnumConstants()).filter(c -> c.name().equals(value)).findFirst()
                .orElseThrow(() -> new InvalidRequestException(name, name + " must be one of "
                        + Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "))
                        + ", not '" + value + "'"));
    }

    /** An optional text filter; empty means no filter. */
    static String text(String value) {
        return absent(value) ? null : value;
    }

    static int page(String value) {
        return integer("page", value, 0, 0, Integer.MAX_VALUE);
    }

    static int size(String value) {
        return integer("size", value, DEFAULT_PAGE_SIZE, 1, Limits.PAGE_SIZE);
    }

    /** How many bytes of a run's output to show: {@link Limits#OUTPUT_TAIL} unless given. */
    static int tail(String value) {
        return integer("tail", value, Limits.OUTPUT_TAIL, 0, Limits.OUTPUT_CHUNK);
    }

    /** A true/false switch, false when absent. */
    static boolean flag(String name, String value) {
        if (absent(value) || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw new InvalidRequestException(name, name + " must be true or false, not '" + value + "'");
    }

    /** An event id of the feed ({@code after}, {@code Last-Event-ID}): a whole number from 0, or null when absent. */
    static Long eventId(String name, String value) {
        if (absent(value)) {
            return null;
        }
        try {
            long id = Long.parseLong(value.trim());
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidRequestException(name, name + " must be an event id (a whole number from 0), not '"
                + value + "'");
    }

    /** Checks that a page's first row is a number the database takes. */
    static void checkOffset(int page, int size) {
        if ((long) page * size > Integer.MAX_VALUE) {
            throw new InvalidRequestException("page", "page " + page + " of size " + size + " is too far");
        }
    }

    private static int integer(String name, String value, int fallback, int min, int max) {
        if (absent(value)) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.trim());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidRequestException(name, name + " must be a whole number from " + min + " to " + max
                + ", not '" + value + "'");
    }

    private static boolean absent(String value) {
        return value == null || value.isEmpty();
    }
}
