package io.orchestr.manager.job;

import io.orchestr.manager.broker.JobPublisher;
import io.orchestr.manager.store.JobEntity;
import io.orchestr.manager.store.Store;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

/** The last two steps of the outbox, shared by creation and the republisher: publish, then mark published. */
@ApplicationScoped
class Publication {
    private final JobPublisher publisher;
    private final Store store;

    Publication(JobPublisher publisher, Store store) {
        this.publisher = publisher;
        this.store = store;
    }

    /**
     * Publishes the jobs' messages with one wait for the broker's confirms and, once it confirmed them all, marks
     * their rows published in one update.
     *
     * @throws RuntimeException when either step failed; the rows then stay unpublished
     */
    void publish(List<JobEntity> jobs) {
        publisher.publish(jobs.stream().map(JobEntity::toMessage).toList());
        List<UUID> ids = jobs.stream().map(job -> job.id).toList();
        QuarkusTransaction.requiringNew().run(() -> store.markPublished(ids));
    }
}
