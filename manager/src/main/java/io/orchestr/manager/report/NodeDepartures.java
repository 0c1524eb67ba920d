package io.orchestr.manager.report;

import io.orchestr.manager.history.JobEvent;
import io.orchestr.manager.history.JobHistory;
import io.orchestr.manager.job.Publication;
import io.orchestr.manager.store.JobEntity;
import io.orchestr.manager.store.JobState;
import io.orchestr.manager.store.Store;
import io.orchestr.shared.Causes;
import io.orchestr.shared.wire.ToManager;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Records that a node incarnation left cleanly. Its server becomes {@code Stopped}, which lets the claim rule
 * grant the jobs it handed back to other nodes at once; until a node claims them, they show as {@code Queued}.
 * Their runs there are over: each job's history says so ({@code stopped}). A job that came to the node by a move
 * had its message in the node's own queue, which went with the node: it is published again at once.
 */
@ApplicationScoped
public class NodeDepartures {
    private static final Logger LOG = Logger.getLogger(NodeDepartures.class);

    private final Store store;
    private final JobHistory history;
    private final Publication publication;
    private final Clock clock;

    NodeDepartures(Store store, JobHistory history, Publication publication, Clock clock) {
        this.store = store;
        this.history = history;
        this.publication = publication;
        this.clock = clock;
    }

    /** Not one transaction: the jobs whose message went with the node are published once the change committed. */
    public void record(ToManager.NodeLeft left) {
        List<JobEntity> lostMessages = QuarkusTransaction.requiringNew().call(() -> requeue(left));
        if (!lostMessages.isEmpty()) {
            try {
                publication.publish(lostMessages);
            } catch (RuntimeException e) {
                LOG.warnf("Could not publish again now the %d job(s) moved to node %s (%s); the republisher sends"
                        + " them shortly", lostMessages.size(), left.nodeId(), Causes.describe(e));
            }
        }
    }

    /** Applies the departure; returns the jobs whose message was in the node's own queue. */
    private List<JobEntity> requeue(ToManager.NodeLeft left) {
        Instant now = clock.instant();
        store.markStopped(left.nodeId(), now);
        List<JobState> handedBack = store.requeueJobsOf(left.nodeId(), now);
        history.recordAll(handedBack.stream().map(job -> JobEvent.stopped(job.id(), now, left.nodeId(), job.epoch(),
                "handed back: its node left cleanly").withActor(JobEvent.nodeActor(left.nodeId()))).toList());
        LOG.infof("Node %s left cleanly: it is Stopped; %d of its jobs not yet claimed elsewhere wait in the"
                + " queue for the next node",
                left.nodeId(), handedBack.size());
        List<UUID> placedThere = handedBack.stream().filter(job -> left.nodeId().equals(job.placedOn()))
                .map(JobState::id).toList();
        return placedThere.isEmpty() ? List.of() : store.jobs(placedThere);
    }
}
