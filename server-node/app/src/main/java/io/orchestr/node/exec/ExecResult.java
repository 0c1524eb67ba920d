package io.orchestr.node.exec;

import java.util.List;

/**
 * The result of an {@code exec} job's run, {@code Completed} and {@code Failed} alike.
 *
 * @param exitCode   the exit code of the first failing step, 0 when none failed
 * @param durationMs how long the run took
 * @param stdoutTail the last 4 KiB of the run's standard output (all steps), as UTF-8 cut at a character
 * @param stderrTail the same of its standard error
 * @param steps      every command that ran, in the order of their paths
 */
record ExecResult(int exitCode, long durationMs, String stdoutTail, String stderrTail, List<Step> steps) {
}
