package io.orchestr.manager.job;

import io.orchestr.manager.broker.JobPublisher;
import io.orchestr.manager.store.JobEntity;
import io.orchestr.manager.store.Store;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

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
     * Publishes the job's message and, once the broker confirmed it, marks the row published.
     *
     * @throws RuntimeException when either step failed; the row then stays unpublished
     */
    void publish(JobEntity job) {
        publisher.publish(job.toMessage());
        QuarkusTransaction.requiringNew().run(() -> store.markPublished(job.id));
    }
}
