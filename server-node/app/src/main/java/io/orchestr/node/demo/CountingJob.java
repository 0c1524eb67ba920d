package io.orchestr.node.demo;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.orchestr.node.JobContext;
import io.orchestr.node.JobHandler;

import java.time.Duration;

/**
 * A demo handler of typed params, progress and a result: counts from 1 to {@code params.count}, one number per
 * {@code params.tickMillis} ms, reporting its progress and a heartbeat at each, then completes its job with the sum
 * of the numbers. A cancelled run stops without a result.
 */
final class CountingJob implements JobHandler {
    /** The params the job is created with; {@code tickMillis} is optional. */
    record Count(int count, Long tickMillis) {
    }

    /**
     * The result: how far it counted, the sum of the numbers, the node that counted, and, for a run of a fan-out,
     * its group and index (left out otherwise).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Counted(int count, long sum, String nodeName, String group, Integer index) {
    }

    @Override
    public void run(JobContext ctx) {
        Count params = ctx.params(Count.class);
        if (params == null || params.count() < 0) {
            throw new IllegalArgumentException("demo job '" + ctx.jobName() + "' needs params {\"count\": n}, n >= 0");
        }
        Duration tick = Duration.ofMillis(params.tickMillis() == null ? TickingJob.DEFAULT_TICK_MILLIS
                : params.tickMillis());
        long sum = 0;
        for (int i = 1; i <= params.count(); i++) {
            if (ctx.awaitCancellation(tick)) {
                return;
            }
            sum += i;
            ctx.heartbeat();
            ctx.progress(i, params.count(), "counted " + i + " of " + params.count());
        }
        ctx.result(new Counted(params.count(), sum, ctx.nodeName(), ctx.group().orElse(null),
                ctx.index().isPresent() ? ctx.index().getAsInt() : null));
    }
}
