package io.orchestr.manager.snapshot;

import io.orchestr.manager.store.Store;
import io.orchestr.shared.wire.ToManager;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;

/**
 * Records that a node incarnation left cleanly. Its server becomes {@code Stopped}, which lets the claim rule
 * grant the jobs it handed back to other nodes at once.
 */
@ApplicationScoped
public class NodeDepartures {
    private static final Logger LOG = Logger.getLogger(NodeDepartures.class);

    private final Store store;
    private final Clock clock;

    NodeDepartures(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Transactional
    public void record(ToManager.NodeLeft left) {
        store.markStopped(left.nodeId(), clock.instant());
        LOG.infof("Node %s left cleanly: it is Stopped, and its jobs go to the next node that claims them",
                left.nodeId());
    }
}
