package io.orchestr.node.demo;

import io.orchestr.node.JobContext;
import io.orchestr.node.JobHandler;

import java.time.Duration;

/**
 * A demo handler of a run's output: prints {@code line <i>[ of <lines>] from <jobName> on <nodeName> under epoch
 * <epoch>} to {@code ctx.output()} once per {@code params.tickMillis} ms, with a heartbeat at each, and completes
 * after {@code params.lines} lines; without {@code lines} it prints until cancelled.
 */
final class PrintingJob implements JobHandler {
    /** The params, both optional. */
    record Print(Integer lines, Long tickMillis) {
    }

    @Override
    public void run(JobContext ctx) {
        Print params = ctx.params(Print.class);
        Integer lines = params == null ? null : params.lines();
        if (lines != null && lines < 0) {
            throw new IllegalArgumentException("demo job '" + ctx.jobName() + "' needs params {\"lines\": n}, n >= 0");
        }
        Duration tick = Duration.ofMillis(params == null || params.tickMillis() == null
                ? TickingJob.DEFAULT_TICK_MILLIS : params.tickMillis());
        for (int i = 1; lines == null || i <= lines; i++) {
            if (ctx.awaitCancellation(tick)) {
                return;
            }
            ctx.output().print("line " + i + (lines == null ? "" : " of " + lines) + " from " + ctx.jobName()
                    + " on " + ctx.nodeName() + " under epoch " + ctx.epoch() + "\n");
            ctx.heartbeat();
        }
    }
}
