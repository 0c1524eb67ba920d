package io.orchestr.examples.quarkus;

import io.orchestr.node.JobContext;
import io.orchestr.node.JobHandler;
import io.orchestr.node.quarkus.JobType;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Runs every job of type {@code greet}: a CDI bean like any other, so it can inject configuration and services.
 * It greets whoever the job's argument names, then heartbeats until the job is cancelled or the node stops.
 */
@ApplicationScoped
@JobType("greet")
public class GreetHandler implements JobHandler {
    private static final Logger LOG = Logger.getLogger(GreetHandler.class);

    private final String salutation;

    GreetHandler(@ConfigProperty(name = "greeter.salutation", defaultValue = "Hello") String salutation) {
        this.salutation = salutation;
    }

    @Override
    public void run(JobContext ctx) {
        String who = ctx.argument().isEmpty() ? "world" : ctx.argument();
        LOG.infof("%s, %s! (job %s, epoch %d)", salutation, who, ctx.jobName(), ctx.epoch());
        while (!ctx.awaitCancellation(Duration.ofSeconds(1))) {
            ctx.heartbeat();
        }
        LOG.infof("Goodbye, %s. (job %s stopped)", who, ctx.jobName());
    }
}
