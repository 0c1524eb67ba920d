package io.orchestr.manager.job;

import io.orchestr.manager.OutageLog;
import io.orchestr.manager.config.OrchestrConfig;
import io.orchestr.manager.store.JobEntity;
import io.orchestr.manager.store.Store;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Publishes the jobs whose message was never confirmed: their manager died between commit and confirm, or the
 * broker was down. Runs in every manager; two managers publishing the same job make a harmless duplicate.
 */
@ApplicationScoped
class Republisher {
    private static final Logger LOG = Logger.getLogger(Republisher.class);
    private static final int BATCH = 100;

    private final Store store;
    private final Publication publication;
    private final Duration republishAfter;
    private final Clock clock;
    private final OutageLog outageLog = new OutageLog(LOG, "republish unpublished jobs");

    Republisher(Store store, Publication publication, OrchestrConfig config, Clock clock) {
        this.store = store;
        this.publication = publication;
        this.republishAfter = config.republishAfter();
        this.clock = clock;
    }

    @Scheduled(every = "${orchestr.republish-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void republish() {
        outageLog.run(() -> {
            List<JobEntity> jobs = QuarkusTransaction.requiringNew()
                    .call(() -> store.unpublishedJobs(clock.instant().minus(republishAfter), BATCH));
            for (JobEntity job : jobs) {
                publication.publish(List.of(job));
                LOG.infof("Republished job %s ('%s'), whose message had not been confirmed", job.id, job.name);
            }
        });
    }
}
