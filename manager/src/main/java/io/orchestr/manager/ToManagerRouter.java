package io.orchestr.manager;

import io.orchestr.manager.broker.ControlMessage;
import io.orchestr.manager.broker.ControlPublisher;
import io.orchestr.manager.broker.InboundHandler;
import io.orchestr.manager.claim.ClaimDecider;
import io.orchestr.manager.snapshot.JobEndRecorder;
import io.orchestr.manager.snapshot.NodeDepartures;
import io.orchestr.manager.snapshot.SnapshotRecorder;
import io.orchestr.shared.wire.ToManager;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * Hands each message from the manager queue to the one class that handles its kind, then sends the replies.
 * Each handler commits its own transaction before returning, so no reply goes out for a decision that could
 * still roll back.
 */
@ApplicationScoped
class ToManagerRouter implements InboundHandler {
    private final ClaimDecider claims;
    private final SnapshotRecorder snapshots;
    private final JobEndRecorder jobEnds;
    private final NodeDepartures departures;
    private final ControlPublisher publisher;
    private final Timer claimTimer;
    private final Timer snapshotTimer;

    ToManagerRouter(ClaimDecider claims, SnapshotRecorder snapshots, JobEndRecorder jobEnds,
                    NodeDepartures departures, ControlPublisher publisher, MeterRegistry registry) {
        this.claims = claims;
        this.snapshots = snapshots;
        this.jobEnds = jobEnds;
        this.departures = departures;
        this.publisher = publisher;
        // the two figures a failover and a big fleet depend on; read by the benchmarks from /q/metrics
        this.claimTimer = Timer.builder("orchestr.claims.decided")
                .description("Time to decide one claim or one batch of claims, transaction included").register(registry);
        this.snapshotTimer = Timer.builder("orchestr.snapshots.applied")
                .description("Time to apply one node snapshot, transaction included").register(registry);
    }

    @Override
    public void handle(ToManager message) {
        List<ControlMessage> replies = switch (message) {
            case ToManager.Claim claim -> claimTimer.record(() -> claims.onClaim(claim));
            case ToManager.Claims batch -> claimTimer.record(() -> claims.onClaims(batch));
            case ToManager.HoldAnswer answer -> claims.onHoldAnswer(answer);
            case ToManager.Snapshot snapshot -> snapshotTimer.record(() -> snapshots.record(snapshot));
            case ToManager.JobEnded ended -> {
                jobEnds.record(ended);
                yield List.of();
            }
            case ToManager.NodeLeft left -> {
                departures.record(left);
                yield List.of();
            }
        };
        publisher.send(replies);
    }
}
