package io.orchestr.shared.wire;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import io.orchestr.shared.Names;
import io.orchestr.shared.Progress;
import io.orchestr.shared.json.WireCodec;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What a node tells the managers, on the manager queue. Any manager instance may handle any message: none
 * of them depends on an earlier message having reached the same manager.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ToManager.Claim.class, name = "claim"),
        @JsonSubTypes.Type(value = ToManager.Claims.class, name = "claims"),
        @JsonSubTypes.Type(value = ToManager.Snapshot.class, name = "snapshot"),
        @JsonSubTypes.Type(value = ToManager.JobEnded.class, name = "job-ended"),
        @JsonSubTypes.Type(value = ToManager.HoldAnswer.class, name = "hold-answer"),
        @JsonSubTypes.Type(value = ToManager.NodeLeft.class, name = "node-left"),
        @JsonSubTypes.Type(value = ToManager.Checkpoint.class, name = "checkpoint"),
})
public sealed interface ToManager {

    /** The node incarnation that sent the message. */
    UUID nodeId();

    /**
     * A node received a job message it does not hold yet and asks to run it. Sent again with backoff until
     * the manager answers with {@link ToNode.Grant} or {@link ToNode.Drop}.
     *
     * @param claim the node's id for this delivery, unique in its incarnation and the same in every repeat; every
     *              reply names it, so that a reply about an earlier copy of the job never acts on a newer one
     *              (0 from a node that predates claim ids)
     */
    record Claim(UUID jobId, UUID nodeId, Long claim) implements ToManager {
        public Claim {
            claim = ClaimIds.orNone(claim);
            Objects.requireNonNull(jobId, "jobId");
            Objects.requireNonNull(nodeId, "nodeId");
        }
    }

    /**
     * Claims of every job a node received since its last batch, at most {@link #MAX} of them, answered by one
     * {@link ToNode.Decisions}. A node sends batches only to managers that showed they understand them (their
     * replies name claim ids); the single {@link Claim} stays for managers that predate batches.
     *
     * @param batch numbers the node's batches; the decisions name it
     */
    record Claims(UUID nodeId, long batch, List<Claimed> claims) implements ToManager {
        /** The most claims in one batch (about 70 KB). */
        public static final int MAX = 1_000;

        public Claims {
            Objects.requireNonNull(nodeId, "nodeId");
            claims = List.copyOf(Objects.requireNonNull(claims, "claims"));
        }
    }

    /** One claim in a {@link Claims} batch: the job and the node's claim id for its delivery. */
    record Claimed(UUID jobId, long claim) {
        public Claimed {
            Objects.requireNonNull(jobId, "jobId");
        }
    }

    /**
     * A node incarnation's report, sent every heartbeat interval with publisher confirms: the node itself, and the
     * jobs it holds. A {@code full} report lists every held job; the others list only the jobs whose entry changed
     * since the node last reported them (a new state or epoch, a restart, a heartbeat that moved on by 10 s or
     * more), so that a quiet node costs the managers almost nothing per job. Nodes that predate partial reports
     * send neither {@code full} nor {@code claiming}: their reports are full.
     *
     * @param full     true when {@code jobs} lists every job the node holds
     * @param claiming how many of the node's held jobs wait for a claim decision
     * @param drain    whether the node drains, and the last drain ask it followed; null from nodes that predate
     *                 drains
     * @param exec     whether the node runs {@code exec} jobs (consumes its pools' exec queues); false from nodes
     *                 that predate them
     * @param roles    the roles of {@code exec} work the node serves, empty for every role (and from nodes that
     *                 predate roles)
     * @param types    the job types the node has handlers for, at most {@link #MAX_TYPES}; null from nodes that
     *                 predate it, whose types the managers do not know (docs/architecture.md, "Version-aware
     *                 placement")
     */
    record Snapshot(UUID nodeId, String nodeName, int slots, List<String> pools, Instant sentAt,
                    List<SnapshotEntry> jobs, Boolean full, Integer claiming, NodeDrain drain, Boolean exec,
                    List<String> roles, List<String> types) implements ToManager {
        public Snapshot {
            types = types == null ? null : List.copyOf(types);
            // a wrapper, since the codec refuses a missing primitive: older nodes send neither field
            exec = exec != null && exec;
            roles = roles == null ? List.of() : List.copyOf(roles);
            Objects.requireNonNull(nodeId, "nodeId");
            Objects.requireNonNull(nodeName, "nodeName");
            pools = List.copyOf(Objects.requireNonNull(pools, "pools"));
            Objects.requireNonNull(sentAt, "sentAt");
            jobs = List.copyOf(Objects.requireNonNull(jobs, "jobs"));
            full = full == null || full;
            claiming = claiming != null ? claiming
                    : (int) jobs.stream().filter(job -> job.state() == HeldState.CLAIMING).count();
            // checked before any database work: a report no node sends is refused, and dead-lettered unread
            if (slots < 0 || slots > MAX_SLOTS) {
                throw new IllegalArgumentException("slots " + slots + " is not 0 to " + MAX_SLOTS);
            }
            if (jobs.size() > 2 * slots + 16) {
                // its pools' queues and its own placed queue each hand it at most its slots
                throw new IllegalArgumentException(jobs.size() + " jobs is more than a node of " + slots
                        + " slots can hold");
            }
            if (pools.size() > MAX_POOLS || !pools.stream().allMatch(Names::isValidPool)) {
                throw new IllegalArgumentException("pools must be at most " + MAX_POOLS + " names that are "
                        + Names.POOL_RULE);
            }
            if (types != null && (types.size() > MAX_TYPES || !types.stream().allMatch(Names::isValidType))) {
                throw new IllegalArgumentException("types must be at most " + MAX_TYPES + " names that are "
                        + Names.TYPE_RULE);
            }
        }

        /** The most slots a node may report. */
        public static final int MAX_SLOTS = 100_000;
        /** The most pools a node may serve. */
        public static final int MAX_POOLS = 1_000;
        /** The most job types a node may report. */
        public static final int MAX_TYPES = 1_000;

        /** A report of a node that predates job types. */
        public Snapshot(UUID nodeId, String nodeName, int slots, List<String> pools, Instant sentAt,
                        List<SnapshotEntry> jobs, Boolean full, Integer claiming, NodeDrain drain, Boolean exec,
                        List<String> roles) {
            this(nodeId, nodeName, slots, pools, sentAt, jobs, full, claiming, drain, exec, roles, null);
        }

        /** A report of a node that predates exec jobs. */
        public Snapshot(UUID nodeId, String nodeName, int slots, List<String> pools, Instant sentAt,
                        List<SnapshotEntry> jobs, Boolean full, Integer claiming, NodeDrain drain) {
            this(nodeId, nodeName, slots, pools, sentAt, jobs, full, claiming, drain, false, List.of());
        }

        /** A report of a node that predates drains. */
        public Snapshot(UUID nodeId, String nodeName, int slots, List<String> pools, Instant sentAt,
                        List<SnapshotEntry> jobs, Boolean full, Integer claiming) {
            this(nodeId, nodeName, slots, pools, sentAt, jobs, full, claiming, null);
        }

        /** A full report, as nodes that predate partial reports send. */
        public Snapshot(UUID nodeId, String nodeName, int slots, List<String> pools, Instant sentAt,
                        List<SnapshotEntry> jobs) {
            this(nodeId, nodeName, slots, pools, sentAt, jobs, true, null);
        }
    }

    /**
     * Where a node is with draining ({@link ToNode.Drain}), in its snapshots.
     *
     * @param state where it is
     * @param seq   the {@link ToNode.Drain#seq()} of the last drain ask it followed, its own or the managers'; 0
     *              before any
     */
    record NodeDrain(DrainState state, long seq) {
        public NodeDrain {
            Objects.requireNonNull(state, "state");
        }

        /** True when the node was asked to drain, drained or not yet. */
        public boolean drains() {
            return state != DrainState.ACTIVE;
        }
    }

    /** Whether a node takes jobs. */
    enum DrainState {
        /** It consumes its job queues. */
        ACTIVE,
        /** It consumes none and releases or hands back the jobs it still holds. */
        DRAINING,
        /** It consumes none and holds no job. */
        DRAINED
    }

    /**
     * One job a node holds.
     *
     * @param epoch           the epoch of the grant it runs under, 0 while it waits for one
     * @param state           where the job is on the node
     * @param lastHeartbeatAt the handler's last {@code heartbeat()}, or its start
     * @param restarts        how often the node restarted the handler under this grant
     * @param lastError       the last failure's message, if any
     * @param progress        the last progress the handler's runs reported ({@code JobContext.progress}), null when
     *                        none did (and from nodes that predate progress)
     */
    record SnapshotEntry(UUID jobId, long epoch, HeldState state, Instant lastHeartbeatAt, int restarts,
                   String lastError, Progress progress) {
        public SnapshotEntry {
            Objects.requireNonNull(jobId, "jobId");
            Objects.requireNonNull(state, "state");
        }

        /** An entry without progress. */
        public SnapshotEntry(UUID jobId, long epoch, HeldState state, Instant lastHeartbeatAt, int restarts,
                             String lastError) {
            this(jobId, epoch, state, lastHeartbeatAt, restarts, lastError, null);
        }
    }

    /** Where a held job is on its node. */
    enum HeldState {
        /** Claim sent, no grant yet. */
        CLAIMING,
        /** Handler running (or waiting out a restart backoff). */
        RUNNING,
        /** Cancel or stop asked, handler not ended yet. */
        STOPPING
    }

    /**
     * A job ended for good on a node, which has acked its message.
     *
     * @param result   what the handler's last run ended the job with ({@code JobContext.result}), at most
     *                 {@link io.orchestr.shared.Limits#RESULT} bytes; null when it gave none (and from nodes that
     *                 predate results)
     * @param progress the last progress its runs reported, null when none did: the end may come before the next
     *                 snapshot would have carried the run's last report
     */
    record JobEnded(UUID jobId, UUID nodeId, long epoch, Outcome outcome, int restarts, String error,
                    JsonNode result, Progress progress) implements ToManager {
        public JobEnded {
            Objects.requireNonNull(jobId, "jobId");
            Objects.requireNonNull(nodeId, "nodeId");
            Objects.requireNonNull(outcome, "outcome");
            result = WireCodec.orNull(result);
        }

        /** An end without a result or progress. */
        public JobEnded(UUID jobId, UUID nodeId, long epoch, Outcome outcome, int restarts, String error) {
            this(jobId, nodeId, epoch, outcome, restarts, error, null, null);
        }
    }

    /** How a job ended on its node. */
    enum Outcome {
        /** The handler returned and the restart policy did not run it again. */
        COMPLETED,
        /** The handler failed and the restart policy gave up. */
        FAILED,
        /** The handler was stopped by a cancel. */
        CANCELLED,
        /**
         * The handler was stopped because the managers asked ({@link ToNode.Release}: a pause, restart, move or
         * drain), and the job's message acked: the managers decide where and when the job runs next.
         */
        RELEASED
    }

    /**
     * The owner's answer to {@link ToNode.HoldQuestion}: whether it holds the job now. Any manager may act on
     * it, since it carries the claimant and the claim the question was about.
     */
    record HoldAnswer(UUID jobId, UUID nodeId, UUID claimantId, boolean holds, Long claim) implements ToManager {
        public HoldAnswer {
            claim = ClaimIds.orNone(claim);
            Objects.requireNonNull(jobId, "jobId");
            Objects.requireNonNull(nodeId, "nodeId");
            Objects.requireNonNull(claimantId, "claimantId");
        }
    }

    /** A node incarnation is leaving cleanly and hands every job it held back to the queue. */
    record NodeLeft(UUID nodeId) implements ToManager {
        public NodeLeft {
            Objects.requireNonNull(nodeId, "nodeId");
        }
    }

    /**
     * A run asks the managers to store its job's checkpoint ({@code JobContext.checkpoint}), sent persistent and
     * confirmed. A manager stores it only while {@code nodeId} owns the job under {@code epoch}, and only when no
     * later checkpoint of that grant is stored already; it answers with {@link ToNode.CheckpointReply}.
     *
     * @param checkpoint the node's id for this checkpoint, growing within the incarnation: the reply names it, and
     *                   an older one that arrives late never replaces a newer one
     * @param state      the state, JSON of at most {@link io.orchestr.shared.Limits#CHECKPOINT} bytes
     */
    record Checkpoint(UUID jobId, UUID nodeId, long epoch, long checkpoint, JsonNode state) implements ToManager {
        public Checkpoint {
            Objects.requireNonNull(jobId, "jobId");
            Objects.requireNonNull(nodeId, "nodeId");
            Objects.requireNonNull(state, "state");
        }
    }
}
