package io.orchestr.shared.wire;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.Objects;
import java.util.UUID;

/**
 * What a manager tells a node, through the control exchange: to one node ({@code node.<nodeId>}) or to all
 * ({@code all}). A node ignores messages about jobs it does not hold.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ToNode.Grant.class, name = "grant"),
        @JsonSubTypes.Type(value = ToNode.Drop.class, name = "drop"),
        @JsonSubTypes.Type(value = ToNode.Wait.class, name = "wait"),
        @JsonSubTypes.Type(value = ToNode.Cancel.class, name = "cancel"),
        @JsonSubTypes.Type(value = ToNode.Stop.class, name = "stop"),
        @JsonSubTypes.Type(value = ToNode.HoldQuestion.class, name = "hold-question"),
})
public sealed interface ToNode {

    /** The job the message is about. */
    UUID jobId();

    /** Run the job; {@code epoch} fences this run against any older one. */
    record Grant(UUID jobId, long epoch) implements ToNode {
        public Grant {
            Objects.requireNonNull(jobId, "jobId");
        }
    }

    /** Do not run the job: ack its message and forget it. */
    record Drop(UUID jobId, String reason) implements ToNode {
        public Drop {
            Objects.requireNonNull(jobId, "jobId");
        }
    }

    /** Another node may still hold the job: keep the message, run nothing, claim again later. */
    record Wait(UUID jobId, UUID ownerId) implements ToNode {
        public Wait {
            Objects.requireNonNull(jobId, "jobId");
        }
    }

    /** The user cancelled the job: stop the handler, ack the message, report {@code CANCELLED}. */
    record Cancel(UUID jobId) implements ToNode {
        public Cancel {
            Objects.requireNonNull(jobId, "jobId");
        }
    }

    /**
     * Stop running the job under {@code epoch} (or older) and hand its message back: another run holds a
     * newer grant.
     */
    record Stop(UUID jobId, long epoch, String reason) implements ToNode {
        public Stop {
            Objects.requireNonNull(jobId, "jobId");
        }
    }

    /** Does this node hold the job right now? Answer with {@link ToManager.HoldAnswer}. */
    record HoldQuestion(UUID jobId, UUID claimantId) implements ToNode {
        public HoldQuestion {
            Objects.requireNonNull(jobId, "jobId");
            Objects.requireNonNull(claimantId, "claimantId");
        }
    }
}
