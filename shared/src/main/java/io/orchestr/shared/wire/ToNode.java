package io.orchestr.shared.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import io.orchestr.shared.Limits;
import io.orchestr.shared.json.WireCodec;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What a manager tells a node, through the control exchange: to one node ({@code node.<nodeId>}) or to all
 * ({@code all}). A node ignores messages about jobs it does not hold. Replies to a claim carry its {@code claim}
 * id ({@link ToManager.Claim#claim()}); a node ignores a reply whose id is not that of the delivery it holds.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ToNode.Grant.class, name = "grant"),
        @JsonSubTypes.Type(value = ToNode.Drop.class, name = "drop"),
        @JsonSubTypes.Type(value = ToNode.Wait.class, name = "wait"),
        @JsonSubTypes.Type(value = ToNode.Cancel.class, name = "cancel"),
        @JsonSubTypes.Type(value = ToNode.Stop.class, name = "stop"),
        @JsonSubTypes.Type(value = ToNode.Release.class, name = "release"),
        @JsonSubTypes.Type(value = ToNode.HoldQuestion.class, name = "hold-question"),
        @JsonSubTypes.Type(value = ToNode.Decisions.class, name = "decisions"),
        @JsonSubTypes.Type(value = ToNode.CheckpointReply.class, name = "checkpoint-reply"),
        @JsonSubTypes.Type(value = ToNode.Drain.class, name = "drain"),
        @JsonSubTypes.Type(value = ToNode.Output.class, name = "output"),
})
public sealed interface ToNode {

    /** A message about one job. */
    sealed interface AboutJob extends ToNode {
        /** The job the message is about. */
        UUID jobId();
    }

    /** A manager's answer to one claim: it names the claim it answers. */
    sealed interface ClaimReply extends AboutJob {
        /** The claim answered; 0 from a manager that predates claim ids. */
        Long claim();
    }

    /**
     * The answers to one {@link ToManager.Claims} batch, decided in one transaction: one message per batch instead
     * of one per job. Each entry is what the single message of its kind says.
     *
     * @param batch the {@link ToManager.Claims#batch()} answered
     */
    record Decisions(long batch, List<Grant> grants, List<Drop> drops, List<Wait> waits) implements ToNode {
        public Decisions {
            grants = List.copyOf(Objects.requireNonNullElse(grants, List.of()));
            drops = List.copyOf(Objects.requireNonNullElse(drops, List.of()));
            waits = List.copyOf(Objects.requireNonNullElse(waits, List.of()));
        }

        /** How many claims it answers. */
        public int size() {
            return grants.size() + drops.size() + waits.size();
        }
    }

    /**
     * Run the job; {@code epoch} fences this run against any older one.
     *
     * @param checkpoint   the job's last stored checkpoint, which its runs read ({@code JobContext.lastCheckpoint});
     *                     null when it has none (and from managers that predate checkpoints)
     * @param checkpointAt when the manager stored it; null without one
     * @param spec         the job as the managers hold it now, which the run follows instead of the message the
     *                     node holds: that may predate an edit ({@code PATCH}), or be a forged copy. Null (and left
     *                     out of the JSON) from managers that predate trusted senders, which sent it only for an
     *                     edited job ({@link JobMessage#revision()} above 0), and from those that predate edits;
     *                     older nodes ignore it
     */
    record Grant(UUID jobId, long epoch, Long claim, JsonNode checkpoint, Instant checkpointAt,
                 @JsonInclude(JsonInclude.Include.NON_NULL) JobMessage spec)
            implements ClaimReply {
        public Grant {
            claim = ClaimIds.orNone(claim);
            Objects.requireNonNull(jobId, "jobId");
            checkpoint = WireCodec.orNull(checkpoint);
            checkpointAt = checkpoint == null ? null : checkpointAt;
        }

        /** A grant of a job without a checkpoint. */
        public Grant(UUID jobId, long epoch, Long claim) {
            this(jobId, epoch, claim, null, null, null);
        }

        /** A grant without a spec: the node runs the message it holds. */
        public Grant(UUID jobId, long epoch, Long claim, JsonNode checkpoint, Instant checkpointAt) {
            this(jobId, epoch, claim, checkpoint, checkpointAt, null);
        }

        /** This grant carrying the job's last checkpoint, stored at {@code at}. */
        public Grant withCheckpoint(JsonNode state, Instant at) {
            return new Grant(jobId, epoch, claim, state, at, spec);
        }

        /** This grant carrying the job as it is now, which the run follows instead of the message held. */
        public Grant withSpec(JobMessage current) {
            return new Grant(jobId, epoch, claim, checkpoint, checkpointAt, current);
        }
    }

    /** Do not run the job: ack its message and forget it. */
    record Drop(UUID jobId, String reason, Long claim) implements ClaimReply {
        public Drop {
            claim = ClaimIds.orNone(claim);
            Objects.requireNonNull(jobId, "jobId");
        }
    }

    /** Another node may still hold the job: keep the message, run nothing, claim again later. */
    record Wait(UUID jobId, UUID ownerId, Long claim) implements ClaimReply {
        public Wait {
            claim = ClaimIds.orNone(claim);
            Objects.requireNonNull(jobId, "jobId");
        }
    }

    /** The user cancelled the job: stop the handler, ack the message, report {@code CANCELLED}. */
    record Cancel(UUID jobId) implements AboutJob {
        public Cancel {
            Objects.requireNonNull(jobId, "jobId");
        }
    }

    /**
     * Stop running the job under {@code epoch} (or older) and hand its message back: another run holds a
     * newer grant.
     */
    record Stop(UUID jobId, long epoch, String reason) implements AboutJob {
        public Stop {
            Objects.requireNonNull(jobId, "jobId");
        }
    }

    /**
     * Stop the job's run under {@code epoch} as a cancel does (the handler asked to stop, interrupted after the
     * cancel grace), then report {@link ToManager.Outcome#RELEASED} and ack the message once the report is
     * confirmed: the managers asked for a pause, restart, move or drain, and start the next run, if any, only
     * after that report. A release for an older epoch is stale.
     *
     * @param reason why, in words, for the node's log
     */
    record Release(UUID jobId, long epoch, String reason) implements AboutJob {
        public Release {
            Objects.requireNonNull(jobId, "jobId");
        }
    }

    /**
     * Does this node hold the job right now? Answer with {@link ToManager.HoldAnswer}, echoing {@code claim}, the
     * claimant's claim that raised the question.
     */
    record HoldQuestion(UUID jobId, UUID claimantId, Long claim) implements AboutJob {
        public HoldQuestion {
            claim = ClaimIds.orNone(claim);
            Objects.requireNonNull(jobId, "jobId");
            Objects.requireNonNull(claimantId, "claimantId");
        }
    }

    /**
     * The answer to {@link ToManager.Checkpoint}: whether the checkpoint it names is stored.
     *
     * @param checkpoint the {@link ToManager.Checkpoint#checkpoint()} answered
     * @param reason     why it was refused (the run is stale, or a later checkpoint is stored); null when stored
     */
    record CheckpointReply(UUID jobId, long checkpoint, boolean stored, String reason) implements AboutJob {
        public CheckpointReply {
            Objects.requireNonNull(jobId, "jobId");
        }
    }

    /**
     * Take no new jobs and release every held one ({@code drain} true), or take jobs again (false). Asks of the
     * managers and of the node itself (its own drain, for a Kubernetes {@code preStop} hook) are ordered by {@code
     * seq}: the node follows an ask whose {@code seq} is greater than that of the last ask it followed, and reports
     * that one in its snapshots ({@link ToManager.NodeDrain}), so that the managers send theirs again while the node
     * reports an older one, and take the node's own when it is newer. Sent only to nodes whose snapshots report a
     * drain: older nodes would dead-letter it.
     */
    record Drain(boolean drain, long seq) implements ToNode {
    }

    /**
     * Send me bytes of a run's output file ({@code JobContext.output()}): the node answers with an {@link
     * OutputChunk} published to the message's {@code reply_to} (RabbitMQ's direct reply-to), carrying its {@code
     * correlation_id}. Sent by a manager to the node that has (or had) the run, on its control queue; not about a
     * held job, so a node answers it whether or not it still holds the job. Older nodes dead-letter it as an
     * unknown kind: the manager then times out.
     *
     * @param epoch  the run's epoch; null for the newest run of the job the node has output of
     * @param offset the first byte wanted; null for the last {@code max} bytes
     * @param max    how many bytes at most; the node may send fewer ({@link Limits#OUTPUT_CHUNK} at most)
     */
    record Output(UUID jobId, Long epoch, Long offset, int max) implements ToNode {
        public Output {
            Objects.requireNonNull(jobId, "jobId");
        }
    }
}
