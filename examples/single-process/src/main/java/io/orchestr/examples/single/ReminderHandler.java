package io.orchestr.examples.single;

import io.orchestr.node.JobContext;
import io.orchestr.node.JobHandler;
import io.orchestr.node.quarkus.JobType;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Runs every job of type {@code remind} in the manager's own process: it logs the job's argument as a reminder
 * every ten seconds until the job is cancelled.
 */
@ApplicationScoped
@JobType("remind")
public class ReminderHandler implements JobHandler {
    private static final Logger LOG = Logger.getLogger(ReminderHandler.class);
    private static final Duration EVERY = Duration.ofSeconds(10);

    @Override
    public void run(JobContext ctx) {
        do {
            LOG.infof("Reminder from %s on %s: %s", ctx.jobName(), ctx.nodeName(), ctx.argument());
            ctx.heartbeat();
        } while (!ctx.awaitCancellation(EVERY));
        LOG.infof("Reminder %s cancelled", ctx.jobName());
    }
}
