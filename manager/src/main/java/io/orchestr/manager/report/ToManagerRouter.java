package io.orchestr.manager.report;

import io.orchestr.manager.Failures;
import io.orchestr.manager.GroupCommit;
import io.orchestr.manager.broker.ControlMessage;
import io.orchestr.manager.broker.ControlPublisher;
import io.orchestr.manager.broker.InboundHandler;
import io.orchestr.manager.claim.ClaimDecider;
import io.orchestr.shared.json.WireCodec;
import io.orchestr.shared.wire.ToManager;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Hands each message from the manager queue to the one class that handles its kind, then sends the replies.
 * Each handler commits its own transaction before returning, so no reply goes out for a decision that could
 * still roll back.
 */
@ApplicationScoped
class ToManagerRouter implements InboundHandler {
    private static final Logger LOG = Logger.getLogger(ToManagerRouter.class);
    /** The most claim batches one transaction decides (each up to 1,000 claims). */
    private static final int MAX_BATCHES_PER_TRANSACTION = 16;
    private final ClaimDecider claims;
    private final SnapshotRecorder snapshots;
    private final JobEndRecorder jobEnds;
    private final ReleaseRecorder releases;
    private final NodeDepartures departures;
    private final CheckpointRecorder checkpoints;
    private final ControlPublisher publisher;
    private final SenderBindings senders;
    private final Timer claimTimer;
    private final Timer snapshotTimer;
    /**
     * Batches of claims that lanes hold at the same time are decided in one transaction: with many nodes, each
     * sends small batches, and a transaction per batch was a transaction per claim again.
     */
    private final GroupCommit<ToManager.Claims, List<ControlMessage>> claimGroups =
            new GroupCommit<>(MAX_BATCHES_PER_TRANSACTION, this::decideTogether);

    ToManagerRouter(ClaimDecider claims, SnapshotRecorder snapshots, JobEndRecorder jobEnds,
                    ReleaseRecorder releases, NodeDepartures departures, CheckpointRecorder checkpoints,
                    ControlPublisher publisher, SenderBindings senders, MeterRegistry registry) {
        this.senders = senders;
        this.claims = claims;
        this.snapshots = snapshots;
        this.jobEnds = jobEnds;
        this.releases = releases;
        this.departures = departures;
        this.checkpoints = checkpoints;
        this.publisher = publisher;
        // the two figures a failover and a big fleet depend on
        this.claimTimer = Timer.builder("orchestr.claims.decided")
                .description("Time to decide one claim or one batch of claims, transaction included")
                .register(registry);
        this.snapshotTimer = Timer.builder("orchestr.snapshots.applied")
                .description("Time to apply one node snapshot, transaction included").register(registry);
    }

    /**
     * Decides the batches together; should that fail for a reason other than an outage (one poisonous batch,
     * say), each alone, so that only the batch at fault fails and counts towards its dead-lettering.
     */
    private Supplier<List<GroupCommit.Result<List<ControlMessage>>>> decideTogether(List<ToManager.Claims> batches) {
        List<GroupCommit.Result<List<ControlMessage>>> outcomes;
        try {
            outcomes = claims.onClaims(batches).stream().map(GroupCommit.Result::of).toList();
        } catch (RuntimeException e) {
            if (batches.size() == 1 || Failures.isOutage(e)) {
                throw e;
            }
            outcomes = batches.stream().map(this::decideAlone).toList();
        }
        List<GroupCommit.Result<List<ControlMessage>>> decided = outcomes;
        return () -> decided;
    }

    private GroupCommit.Result<List<ControlMessage>> decideAlone(ToManager.Claims batch) {
        try {
            return GroupCommit.Result.of(claims.onClaims(List.of(batch)).getFirst());
        } catch (RuntimeException e) {
            return GroupCommit.Result.failed(e);
        }
    }

    @Override
    public void handle(ToManager message, String sender) {
        Optional<String> refusal = senders.refusal(message, sender);
        if (refusal.isPresent()) {
            // acked: the same forgery retried would be refused the same way
            LOG.warnf("Ignored a %s about node %s: %s", WireCodec.kindOf(message), message.nodeId(), refusal.get());
            return;
        }
        List<ControlMessage> replies = switch (message) {
            case ToManager.Claim claim -> claimTimer.record(() -> claims.onClaim(claim));
            case ToManager.Claims batch -> claimTimer.record(() -> claimGroups.submit(batch));
            case ToManager.HoldAnswer answer -> claims.onHoldAnswer(answer);
            case ToManager.Snapshot snapshot -> snapshotTimer.record(() -> snapshots.record(snapshot));
            case ToManager.JobEnded released when released.outcome() == ToManager.Outcome.RELEASED -> {
                releases.record(released);
                yield List.of();
            }
            case ToManager.JobEnded ended -> {
                jobEnds.record(ended);
                yield List.of();
            }
            case ToManager.Checkpoint checkpoint -> checkpoints.record(checkpoint);
            case ToManager.NodeLeft left -> {
                departures.record(left);
                yield List.of();
            }
        };
        senders.handled(message, sender);
        publisher.send(replies);
    }


}
