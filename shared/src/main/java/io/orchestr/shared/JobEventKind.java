package io.orchestr.shared;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Optional;

/**
 * What happened to a job, as its history ({@code GET /api/jobs/{id}/events}) names it. The wire names are those
 * of the design brief. Some kinds end a run (see {@link #endsRun()}): the manager's check for runs of one job
 * that overlap pairs each grant with the end that follows it.
 */
public enum JobEventKind {
    /** The job was stored. */
    CREATED("created", false),
    /** A node incarnation was granted the job under a new epoch: a run begins. */
    GRANTED("granted", false),
    /** The node first reported the granted run's handler running. */
    STARTED("started", false),
    /** The job's node sent no snapshot for a while and shows as Lost; the job stays there, it may still run. */
    HEARTBEAT_LOST("heartbeat-lost", false),
    /** The node stopped the run itself, cut off from the broker. */
    FENCED("fenced", true),
    /** The run is over without the job ending: its node left, its connection died, or it was told to stop. */
    STOPPED("stopped", true),
    /** The job was moved to another node. */
    MOVED("moved", false),
    /** The job was paused. */
    PAUSED("paused", false),
    /** The job was resumed. */
    RESUMED("resumed", false),
    /** The job was restarted. */
    RESTARTED("restarted", false),
    /** A run stored a checkpoint. */
    CHECKPOINT("checkpoint", false),
    /** The job completed: its handler returned for good. */
    COMPLETED("completed", true),
    /** The job failed for good. */
    FAILED("failed", true),
    /** Someone asked for the job to be cancelled while a node ran it: it is Deleting until its node stops it. */
    CANCELLED("cancelled", false),
    /** The job is Deleted: cancelled while no node ran it, its node confirmed the cancel, or its owner is gone. */
    DELETED("deleted", true),
    /** An ended job was queued again. */
    RERUN("rerun", false),
    /** The job was quarantined. */
    QUARANTINED("quarantined", false);

    private final String wireName;
    private final boolean endsRun;

    JobEventKind(String wireName, boolean endsRun) {
        this.wireName = wireName;
        this.endsRun = endsRun;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** Whether an event of this kind, naming a run's node and epoch, says that run is over. */
    public boolean endsRun() {
        return endsRun;
    }

    /** The kind with this wire name, if any. */
    public static Optional<JobEventKind> fromWireName(String name) {
        return Arrays.stream(values()).filter(kind -> kind.wireName.equals(name)).findFirst();
    }

    @JsonCreator
    static JobEventKind fromJson(String name) {
        return fromWireName(name).orElseThrow(() -> new IllegalArgumentException("unknown job event kind '" + name
                + "'"));
    }
}
