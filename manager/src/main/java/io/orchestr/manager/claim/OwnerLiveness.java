package io.orchestr.manager.claim;

import io.orchestr.manager.broker.QueueProbe;
import io.orchestr.manager.store.Store;
import io.orchestr.shared.NodeStatus;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Tells whether a job's owner can no longer hold the job's message: it left cleanly, or the broker deleted its
 * control queue (its connection died, and the broker requeued what it held). Missing snapshots do not count.
 */
@ApplicationScoped
class OwnerLiveness {
    /** How many gone incarnations to remember; a failover of a big node brings hundreds of claims per owner. */
    private static final int REMEMBERED = 10_000;

    private final Store store;
    private final QueueProbe probe;
    /**
     * Incarnations found gone, with the reason. Gone is final (a reconnecting node is a new incarnation with a
     * new id), so when a node with many jobs dies, one probe serves the claims of all its jobs.
     */
    private final Map<UUID, String> gone = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, String> eldest) {
            return size() > REMEMBERED;
        }
    });

    OwnerLiveness(Store store, QueueProbe probe) {
        this.store = store;
        this.probe = probe;
    }

    /** True once {@code ownerId} was found gone; asks neither the database nor the broker. */
    boolean knownGone(UUID ownerId) {
        return gone.containsKey(ownerId);
    }

    /** Why {@code ownerId} is gone, in words; empty while it may still hold its jobs. */
    Optional<String> goneReason(UUID ownerId) {
        String known = gone.get(ownerId);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<String> reason = probeReason(ownerId);
        reason.ifPresent(r -> gone.put(ownerId, r));
        return reason;
    }

    private Optional<String> probeReason(UUID ownerId) {
        if (store.serverStatus(ownerId).orElse(null) == NodeStatus.Stopped) {
            return Optional.of("it left cleanly");
        }
        if (!probe.controlQueueExists(ownerId)) {
            return Optional.of("its control queue is gone");
        }
        return Optional.empty();
    }
}
