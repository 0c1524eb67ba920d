package io.orchestr.node.quarkus;

import io.orchestr.node.JobContext;
import io.orchestr.node.JobHandler;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A handler bean of the test application: records what each run saw, and returns. */
@ApplicationScoped
@JobType("echo")
public class EchoHandler implements JobHandler {
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @Override
    public void run(JobContext ctx) {
        seen.add(ctx.jobName() + " " + ctx.argument() + " on " + ctx.nodeName() + " under epoch " + ctx.epoch());
    }

    List<String> seen() {
        return List.copyOf(seen);
    }
}
