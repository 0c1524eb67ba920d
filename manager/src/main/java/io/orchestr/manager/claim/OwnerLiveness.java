package io.orchestr.manager.claim;

import io.orchestr.manager.broker.ControlQueueProbe;
import io.orchestr.manager.store.Store;
import io.orchestr.shared.NodeStatus;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.UUID;

/**
 * Tells whether a job's owner can no longer hold the job's message: it left cleanly, or the broker deleted its
 * control queue (its connection died, and the broker requeued what it held). Missing snapshots do not count.
 */
@ApplicationScoped
class OwnerLiveness {
    private final Store store;
    private final ControlQueueProbe probe;

    OwnerLiveness(Store store, ControlQueueProbe probe) {
        this.store = store;
        this.probe = probe;
    }

    /** Why {@code ownerId} is gone, in words; empty while it may still hold its jobs. */
    Optional<String> goneReason(UUID ownerId) {
        if (store.serverStatus(ownerId).orElse(null) == NodeStatus.Stopped) {
            return Optional.of("it left cleanly");
        }
        if (!probe.exists(ownerId)) {
            return Optional.of("its control queue is gone");
        }
        return Optional.empty();
    }
}
