package io.orchestr.manager.job;

import io.orchestr.manager.broker.JobPublisher;
import io.orchestr.manager.broker.UnroutableException;
import io.orchestr.manager.store.JobEntity;
import io.orchestr.manager.store.Store;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The last two steps of the outbox, shared by creation, steering and the republisher: publish, then mark published.
 * A job placed on a node (a move) goes to that node's own queue; should that node be gone, its placement is
 * cleared and it goes to its pool's queue like any other.
 */
@ApplicationScoped
public class Publication {
    private static final Logger LOG = Logger.getLogger(Publication.class);

    private final JobPublisher publisher;
    private final Store store;

    Publication(JobPublisher publisher, Store store) {
        this.publisher = publisher;
        this.store = store;
    }

    /**
     * Publishes the jobs' messages with one wait for the broker's confirms (placed jobs one by one: they are few)
     * and, once it confirmed them all, marks their rows published in one update.
     *
     * @throws RuntimeException when either step failed; the rows then stay unpublished
     */
    public void publish(List<JobEntity> jobs) {
        List<JobEntity> pooled = new ArrayList<>(jobs.size());
        for (JobEntity job : jobs) {
            if (job.placedOn == null || !placed(job)) {
                pooled.add(job);
            }
        }
        if (!pooled.isEmpty()) {
            publisher.publish(pooled.stream().map(JobEntity::toMessage).toList());
        }
        List<UUID> ids = jobs.stream().map(job -> job.id).toList();
        QuarkusTransaction.requiringNew().run(() -> store.markPublished(ids));
    }

    /** Puts a placed job on its node's queue; false when that node is gone, and the job's placement cleared. */
    private boolean placed(JobEntity job) {
        try {
            publisher.place(job.toMessage(), job.placedOn);
            return true;
        } catch (UnroutableException e) {
            LOG.infof("Job %s was to run next on node %s, which is gone: it goes to any node of pool %s", job.id,
                    job.placedOn, job.pool);
            QuarkusTransaction.requiringNew().run(() -> store.clearPlacement(job.id));
            return false;
        }
    }
}
