package io.orchestr.node.demo;

import io.orchestr.node.JobContext;
import io.orchestr.node.JobHandler;

import java.io.IOException;

/**
 * A demo handler that crashes its node: it halts the JVM ({@link Runtime#halt}) as soon as it runs, with no
 * shutdown hook, as a handler that crashes the process natively would. With {@code halt=false} in its argument it
 * ticks as {@code ticker} instead: the fix an operator edits in before resuming a quarantined job.
 */
final class HaltingJob implements JobHandler {
    /** The exit status of a halted node. */
    static final int STATUS = 99;

    private final JobHandler ticker;
    private final Runnable halt;

    /** {@code halt}: what ends the process; tests pass one that records the call. */
    HaltingJob(DemoFiles files, Runnable halt) {
        this.ticker = TickingJob.infinite(files);
        this.halt = halt;
    }

    static HaltingJob halting(DemoFiles files) {
        return new HaltingJob(files, () -> Runtime.getRuntime().halt(STATUS));
    }

    @Override
    public void run(JobContext ctx) throws Exception {
        if (DemoArgument.parse(ctx.argument()).value("halt").orElse("true").equals("false")) {
            ticker.run(ctx);
            return;
        }
        halt.run();
        throw new IOException("the node's JVM did not halt"); // only a test's halt returns
    }
}
