package io.orchestr.manager.server;

import io.orchestr.manager.OutageLog;
import io.orchestr.manager.config.OrchestrConfig;
import io.orchestr.manager.store.ServerEntity;
import io.orchestr.manager.store.Store;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Shows nodes that stopped sending snapshots as {@code Lost}. Display only: a silent node may still run its
 * jobs (a slow network, a manager outage), so its jobs move only when the claim rule finds it gone.
 */
@ApplicationScoped
class LostNodeDetector {
    private static final Logger LOG = Logger.getLogger(LostNodeDetector.class);

    private final Store store;
    private final Duration lostAfter;
    private final Clock clock;
    private final OutageLog outageLog = new OutageLog(LOG, "look for lost nodes");

    LostNodeDetector(Store store, OrchestrConfig config, Clock clock) {
        this.store = store;
        this.lostAfter = config.nodeLostAfter();
        this.clock = clock;
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void markSilentNodesLost() {
        try {
            QuarkusTransaction.requiringNew().run(this::markLost);
            outageLog.succeeded();
        } catch (RuntimeException e) {
            outageLog.failed(e);
        }
    }

    private void markLost() {
        Instant now = clock.instant();
        Instant heardBefore = now.minus(lostAfter);
        for (ServerEntity server : store.silentServers(heardBefore)) {
            // every manager runs this; only the one whose update changed the row logs it
            if (store.markLost(server.id, heardBefore, now)) {
                LOG.infof("Node %s (%s) sent no snapshot since %s, more than %s: it shows as Lost now; its jobs"
                        + " stay where they are", server.id, server.name, server.lastHeartbeatAt, lostAfter);
            }
        }
    }
}
