package io.orchestr.node.demo;

import io.orchestr.node.JobContext;
import io.orchestr.node.JobHandler;

import java.time.Duration;

/**
 * A demo handler of checkpoints: counts up by one every {@code params.tickMillis} ms, storing its counter as the
 * job's checkpoint at every tick, and starts from the last checkpoint, so that a run after a failover, a restart or
 * a move carries on from where the last one stored instead of from zero. Completes with the counter once it
 * reaches {@code params.count} (never without {@code count}); a cancelled run stops without a result. Each stored
 * counter is also the run's progress.
 */
final class ResumingCounterJob implements JobHandler {
    /** The params the job is created with, both optional. */
    record Counter(Long count, Long tickMillis) {
    }

    /** The checkpoint, and the result: the counter. */
    record Counted(long counter) {
    }

    @Override
    public void run(JobContext ctx) {
        Counter params = ctx.params(Counter.class);
        Long target = params == null ? null : params.count();
        Duration tick = Duration.ofMillis(params == null || params.tickMillis() == null
                ? TickingJob.DEFAULT_TICK_MILLIS : params.tickMillis());
        long counter = ctx.lastCheckpoint(Counted.class).map(Counted::counter).orElse(0L);
        while (target == null || counter < target) {
            if (ctx.awaitCancellation(tick)) {
                return;
            }
            // stored before it counts as reached: a run that dies now resumes from here, never from lower
            ctx.checkpoint(new Counted(counter + 1));
            counter++;
            ctx.heartbeat();
            ctx.progress(counter, target == null ? 0 : target, "counted to " + counter);
        }
        ctx.result(new Counted(counter));
    }
}
