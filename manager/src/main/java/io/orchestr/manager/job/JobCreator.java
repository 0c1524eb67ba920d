package io.orchestr.manager.job;

import io.orchestr.manager.Failures;
import io.orchestr.manager.store.JobEntity;
import io.orchestr.manager.store.Store;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.api.NewJob;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;

/**
 * Creates jobs through an outbox: the row is committed first ({@code Queued}, not published), then the job's
 * message is published with confirms, then the row is marked published. A manager that dies in between leaves
 * an unpublished row, which the {@link Republisher} of any manager publishes later; so a job answered
 * {@code 201} is never lost, and a second copy of its message is harmless.
 */
@ApplicationScoped
public class JobCreator {
    private static final Logger LOG = Logger.getLogger(JobCreator.class);

    private final Store store;
    private final Publication publication;
    private final JobViews views;
    private final Clock clock;

    JobCreator(Store store, Publication publication, JobViews views, Clock clock) {
        this.store = store;
        this.publication = publication;
        this.views = views;
        this.clock = clock;
    }

    /**
     * Stores and publishes a new job. The job exists once this returns, even when publishing failed (the
     * republisher tries again).
     *
     * @throws io.orchestr.manager.InvalidRequestException when a field is invalid
     * @throws io.orchestr.manager.NameTakenException      when a job that is not Deleted has the name
     */
    public JobView create(NewJob request) {
        JobSpec spec = JobSpec.of(request);
        JobEntity job = JobEntity.queued(spec.name(), spec.argument(), spec.type(), spec.pool(), spec.restart(),
                clock.instant());
        job.maxRestarts = spec.maxRestarts();
        job.heartbeatTimeout = spec.heartbeatTimeout();
        QuarkusTransaction.requiringNew().run(() -> store.insertJob(job));
        LOG.debugf("Created job %s named '%s' in pool %s", job.id, job.name, job.pool);
        try {
            publication.publish(job);
        } catch (RuntimeException e) {
            // an outage is expected and needs no stack trace; anything else is a bug worth one
            LOG.warnf(Failures.isOutage(e) ? null : e, "Job %s is stored but publishing it did not complete (%s);"
                    + " the republisher will publish it again in a few seconds", job.id, Failures.describe(e));
        }
        return views.view(job);
    }
}
