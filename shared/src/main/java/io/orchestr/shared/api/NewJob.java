package io.orchestr.shared.api;

/**
 * The body of {@code POST /api/jobs}. Only {@code name} is required.
 *
 * @param name     unique among jobs that are not {@code Deleted}; 1 to 200 characters
 * @param argument free text handed to the handler; empty by default
 * @param type     which handler runs the job; {@code default} by default
 * @param pool     which nodes may run it; {@code default} by default
 * @param restart  {@code on-failure} (default), {@code always} or {@code never}
 */
public record NewJob(String name, String argument, String type, String pool, String restart) {
    /** A job with just a name and an argument, everything else by default. */
    public static NewJob of(String name, String argument) {
        return new NewJob(name, argument, null, null, null);
    }
}
