package io.orchestr.manager.report;

import io.orchestr.manager.history.JobEvent;
import io.orchestr.manager.history.JobHistory;
import io.orchestr.manager.store.JobState;
import io.orchestr.manager.store.Store;
import io.orchestr.shared.wire.ToManager;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Records that a node incarnation left cleanly. Its server becomes {@code Stopped}, which lets the claim rule
 * grant the jobs it handed back to other nodes at once; until a node claims them, they show as {@code Queued}.
 * Their runs there are over: each job's history says so ({@code stopped}).
 */
@ApplicationScoped
public class NodeDepartures {
    private static final Logger LOG = Logger.getLogger(NodeDepartures.class);

    private final Store store;
    private final JobHistory history;
    private final Clock clock;

    NodeDepartures(Store store, JobHistory history, Clock clock) {
        this.store = store;
        this.history = history;
        this.clock = clock;
    }

    @Transactional
    public void record(ToManager.NodeLeft left) {
        Instant now = clock.instant();
        store.markStopped(left.nodeId(), now);
        List<JobState> handedBack = store.requeueJobsOf(left.nodeId(), now);
        history.recordAll(handedBack.stream().map(job -> JobEvent.stopped(job.id(), now, left.nodeId(), job.epoch(),
                "handed back: its node left cleanly").withActor(JobEvent.nodeActor(left.nodeId()))).toList());
        LOG.infof("Node %s left cleanly: it is Stopped; %d of its jobs not yet claimed elsewhere wait in the"
                + " queue for the next node",
                left.nodeId(), handedBack.size());
    }
}
