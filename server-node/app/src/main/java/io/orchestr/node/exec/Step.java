package io.orchestr.node.exec;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * One command of an {@code exec} job's run, as its result lists it.
 *
 * @param path     the step's place in the work tree, by indices ({@code "1.0"}: the first step of the second);
 *                 {@code "0"} for a job that is a single command
 * @param command  the command, shortened to 200 characters
 * @param exitCode its exit code, 128 + the signal when a signal ended it, 126 when it could not start
 * @param timedOut true when its {@code timeout} stopped it, absent otherwise
 * @param role     the role that ran it, absent when the job names no roles
 * @param node     the name of the node that ran it, absent when the job names no roles
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Step(String path, String command, int exitCode, Instant startedAt, Instant endedAt, Boolean timedOut,
            String role, String node) {

    /** A step of a job without roles. */
    Step(String path, String command, int exitCode, Instant startedAt, Instant endedAt, Boolean timedOut) {
        this(path, command, exitCode, startedAt, endedAt, timedOut, null, null);
    }

    /** This step as run by {@code role} on {@code node}. */
    Step playedBy(String role, String node) {
        return new Step(path, command, exitCode, startedAt, endedAt, timedOut, role, node);
    }
}
