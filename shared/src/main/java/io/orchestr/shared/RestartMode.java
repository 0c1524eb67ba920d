package io.orchestr.shared;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Optional;

/**
 * When a node runs a job's handler again after it ended. The wire names are the ones the REST API takes.
 */
public enum RestartMode {
    /** Restart after the handler throws; a handler that returns completes the job. The default. */
    ON_FAILURE("on-failure"),
    /** Restart whenever the handler ends, thrown or returned. */
    ALWAYS("always"),
    /** Never restart: a throw fails the job, a return completes it. */
    NEVER("never");

    private final String wireName;

    RestartMode(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** The mode with this wire name, if any. */
    public static Optional<RestartMode> fromWireName(String name) {
        return Arrays.stream(values()).filter(m -> m.wireName.equals(name)).findFirst();
    }

    @JsonCreator
    static RestartMode fromJson(String name) {
        return fromWireName(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown restart mode '" + name + "', expected one of on-failure, always, never"));
    }
}
