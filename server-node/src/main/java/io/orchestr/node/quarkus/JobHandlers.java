package io.orchestr.node.quarkus;

import io.orchestr.node.JobHandler;

import java.util.Map;

/**
 * The handlers the Quarkus node registers, by job type. The built-in demo handlers unless the application
 * produces a bean of its own.
 */
public record JobHandlers(Map<String, JobHandler> byType) {
    public JobHandlers {
        byType = Map.copyOf(byType);
    }
}
