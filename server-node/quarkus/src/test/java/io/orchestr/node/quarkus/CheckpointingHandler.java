package io.orchestr.node.quarkus;

import io.orchestr.node.JobContext;
import io.orchestr.node.JobHandler;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A handler bean of the test application: stores one checkpoint, then holds its slot without heartbeats until the
 * test lets it end (at most a minute), so that the node's gauges see a held job and a growing heartbeat age.
 */
@ApplicationScoped
@JobType("checkpointing")
public class CheckpointingHandler implements JobHandler {
    private final CountDownLatch finish = new CountDownLatch(1);

    @Override
    public void run(JobContext ctx) throws InterruptedException {
        ctx.checkpoint(Map.of("step", 1));
        if (!finish.await(1, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the test never let the run end");
        }
    }

    void finish() {
        finish.countDown();
    }
}
