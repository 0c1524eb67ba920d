package io.orchestr.manager.store;

/**
 * What a job's owner releasing its run leads to, besides a pause (which is the status {@code Pausing}): the job is
 * queued again, on any node or on the one it is moved to.
 */
public enum Steer {
    /** The run stops and a new one starts, on any node of the pool. */
    RESTART,
    /** The run stops and the next one starts on the node the job is placed on. */
    MOVE
}
