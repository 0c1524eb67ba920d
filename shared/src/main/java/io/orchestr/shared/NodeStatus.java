package io.orchestr.shared;

/**
 * What the manager knows of a server node. The constant names are the wire names used by the REST API.
 */
public enum NodeStatus {
    /** Connected and sending snapshots. */
    Active,
    /** Asked to drain: takes no new jobs and hands the ones it holds back. */
    Draining,
    /** Drained: holds no job and takes none until undrained; still connected. */
    Drained,
    /** Stopped sending snapshots, or its broker connection is gone. */
    Lost,
    /** Left cleanly and handed its jobs back. */
    Stopped
}
