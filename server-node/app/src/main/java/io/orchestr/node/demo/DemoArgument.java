package io.orchestr.node.demo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A demo job's argument: {@code key=value} pairs separated by {@code ;}, e.g.
 * {@code file=/tmp/t.log;tickMillis=200}. Blanks around keys and values are trimmed, empty pairs skipped.
 */
record DemoArgument(Map<String, String> values) {

    static DemoArgument parse(String argument) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : argument.split(";")) {
            if (pair.isBlank()) {
                continue;
            }
            int equals = pair.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("demo argument '" + argument + "' has '" + pair
                        + "', expected key=value pairs separated by ';'");
            }
            values.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
        }
        return new DemoArgument(Map.copyOf(values));
    }

    Optional<String> value(String key) {
        return Optional.ofNullable(values.get(key));
    }

    long number(String key, long fallback) {
        String value = values.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("demo argument " + key + "=" + value + " is not a whole number", e);
        }
    }
}
