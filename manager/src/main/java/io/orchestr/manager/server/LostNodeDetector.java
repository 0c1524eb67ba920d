package io.orchestr.manager.server;

import io.orchestr.manager.OutageLog;
import io.orchestr.manager.broker.QueueProbe;
import io.orchestr.manager.config.OrchestrConfig;
import io.orchestr.manager.history.JobEvent;
import io.orchestr.manager.history.JobHistory;
import io.orchestr.manager.quarantine.CrashLoops;
import io.orchestr.manager.store.JobState;
import io.orchestr.manager.store.ServerEntity;
import io.orchestr.manager.store.Store;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Shows nodes that stopped sending snapshots as {@code Lost}. Display only: a silent node may still run its
 * jobs (a slow network, a manager outage), so its jobs move only when the claim rule finds it gone. When the
 * broker confirms the node is gone (its control queue no longer exists), the jobs it held and no node has
 * claimed since show as {@code Queued}: their messages wait in the queue for a free slot.
 */
@ApplicationScoped
class LostNodeDetector {
    private static final Logger LOG = Logger.getLogger(LostNodeDetector.class);

    private final Store store;
    private final JobHistory history;
    private final QueueProbe probe;
    private final CrashLoops crashLoops;
    private final Duration lostAfter;
    private final Clock clock;
    private final OutageLog outageLog = new OutageLog(LOG, "look for lost nodes");

    LostNodeDetector(Store store, JobHistory history, QueueProbe probe, CrashLoops crashLoops, OrchestrConfig config,
                     Clock clock) {
        this.store = store;
        this.crashLoops = crashLoops;
        this.history = history;
        this.probe = probe;
        this.lostAfter = config.nodeLostAfter();
        this.clock = clock;
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void markSilentNodesLost() {
        outageLog.run(() -> {
            for (ServerEntity server : QuarkusTransaction.requiringNew().call(this::markLost)) {
                if (!probe.controlQueueExists(server.id)) {
                    int requeued = QuarkusTransaction.requiringNew().call(() -> requeue(server.id));
                    LOG.infof("Node %s (%s) is gone from the broker too: %d of its jobs not yet claimed elsewhere"
                            + " wait in the queue for a free slot", server.id, server.name, requeued);
                }
            }
        });
    }

    /**
     * Requeues the jobs of a node gone from the broker: their runs there are over. A job whose run's end makes it
     * quarantined is Paused instead.
     */
    private int requeue(UUID nodeId) {
        Instant now = clock.instant();
        List<JobState> requeued = store.requeueJobsOf(nodeId, now);
        List<JobEvent> events = new ArrayList<>();
        for (JobState job : requeued) {
            events.add(JobEvent.stopped(job.id(), now, nodeId, job.epoch(),
                    "run over: its node sent no snapshot and its control queue is gone"));
            // a quarantined job is Paused instead: its message, back in the queue, is dropped when a node claims it
            crashLoops.runDied(job.id(), nodeId, now).ifPresent(events::add);
        }
        history.recordAll(events);
        return requeued.size();
    }

    /** Marks the silent nodes Lost; returns those this manager marked (every manager runs this). */
    private List<ServerEntity> markLost() {
        Instant now = clock.instant();
        List<ServerEntity> marked = new ArrayList<>();
        // silence is measured by the database's clock, which wrote the heartbeats, not by this manager's
        for (ServerEntity server : store.silentServers(lostAfter)) {
            if (store.markLost(server.id, lostAfter, now)) {
                LOG.infof("Node %s (%s) sent no snapshot since %s, more than %s: it shows as Lost now; its jobs"
                        + " stay where they are", server.id, server.name, server.lastHeartbeatAt, lostAfter);
                marked.add(server);
                String why = "node sent no snapshot for more than "
                        + lostAfter.toString().substring(2).toLowerCase(Locale.ROOT) + "; the job stays there until the"
                        + " node is known gone";
                history.recordAll(store.heldJobsOf(server.id).stream()
                        .map(job -> JobEvent.heartbeatLost(job.id(), now, server.id, job.epoch(), why)).toList());
            }
        }
        return marked;
    }
}
