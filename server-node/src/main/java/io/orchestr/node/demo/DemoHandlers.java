package io.orchestr.node.demo;

import io.orchestr.node.JobHandler;

import java.util.Map;

/**
 * The handlers of the runnable node, by job type:
 * <ul>
 *   <li>{@code default} and {@code ticker}: tick until cancelled;</li>
 *   <li>{@code finite}: return (complete) after {@code ticks=<n>} ticks, 10 by default;</li>
 *   <li>{@code failing}: throw after {@code failAfter=<n>} ticks, 1 by default;</li>
 *   <li>{@code hang}: stop heartbeating (and writing lines) after {@code hangAfter=<n>} ticks, 1 by default, and
 *   wait for its cancellation: with a heartbeat timeout, the node stops and restarts it.</li>
 * </ul>
 * The argument is {@code key=value} pairs separated by {@code ;}, e.g. {@code file=/tmp/t.log;tickMillis=200}.
 * Every handler ticks every {@code tickMillis} ms (500 by default), calling {@code ctx.heartbeat()} at each tick.
 * With {@code file=<path>} it appends one line {@code <epochMillis> <jobName> <nodeName> <nodeId> <epoch>} to
 * that file at start and at every tick, so that tests can see which node ran the job, when, and under which epoch.
 */
public final class DemoHandlers {
    private DemoHandlers() {
    }

    public static Map<String, JobHandler> all() {
        return Map.of(
                "default", TickingJob.infinite(),
                "ticker", TickingJob.infinite(),
                "finite", TickingJob.finite(),
                "failing", TickingJob.failing(),
                "hang", TickingJob.hanging());
    }
}
