package io.orchestr.examples.plain;

import io.orchestr.node.JobContext;
import io.orchestr.node.JobHandler;

import java.time.Duration;

/**
 * Greets whoever the job's argument names, then stays alive, reporting a heartbeat every second, until the job is
 * cancelled or the node stops: the shape of every long-running handler.
 */
final class GreetHandler implements JobHandler {
    @Override
    public void run(JobContext ctx) {
        String who = ctx.argument().isEmpty() ? "world" : ctx.argument();
        System.out.printf("Hello, %s! (job %s, epoch %d)%n", who, ctx.jobName(), ctx.epoch());
        while (!ctx.awaitCancellation(Duration.ofSeconds(1))) {
            ctx.heartbeat();
        }
        System.out.printf("Goodbye, %s. (job %s stopped)%n", who, ctx.jobName());
    }
}
