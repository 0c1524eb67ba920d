package io.orchestr.node;

import io.orchestr.shared.wire.ToManager.Outcome;

import java.time.Duration;
import java.util.UUID;

/**
 * Hears what happens on a node: for metrics, alerts and tests. Every method does nothing by default.
 *
 * <p>Threading: called on the node's single engine thread, in the order things happen. Return quickly and never
 * block: the node handles nothing else meanwhile. An exception thrown here is logged and otherwise ignored.
 */
public interface NodeListener {

    /** A new incarnation connected to the broker and consumes its job queues. */
    default void connected(UUID nodeId) {
    }

    /** The manager granted a held job to this node under {@code epoch}. */
    default void granted(UUID jobId, long epoch) {
    }

    /** The manager told the node not to run a job it claimed; its message was acked. */
    default void dropped(UUID jobId, String reason) {
    }

    /** A handler run started, the first one under a grant ({@code restarts == 0}) or a restart. */
    default void jobStarted(UUID jobId, String jobName, long epoch, int restarts) {
    }

    /** A job ended for good on this node: its message was acked and the manager told. */
    default void jobEnded(UUID jobId, Outcome outcome, String error) {
    }

    /** A job was stopped and its message handed back to the queue (manager's stop, or the node closing). */
    default void jobHandedBack(UUID jobId, String reason) {
    }

    /**
     * The broker confirmed nothing this incarnation published for longer than the fence timeout: the node
     * stopped all its jobs and drops the connection, assuming it is cut off and its jobs run elsewhere soon.
     */
    default void fenced(UUID nodeId, Duration silence) {
    }

    /**
     * The broker connection, a channel or a consumer of this incarnation died under it: the broker requeued
     * the job messages it held, so the node stopped those {@code jobs} at once and reconnects.
     */
    default void deliveriesLost(UUID nodeId, String cause, int jobs) {
    }

    /** A message that could not be read was dead-lettered. */
    default void malformedMessage(String queue, String error) {
    }

    /** The managers stored a checkpoint of {@code jobId}'s run on this node. */
    default void checkpointStored(UUID jobId) {
    }

    /** The broker confirmed a message this node published for the managers, {@code latency} after it went out. */
    default void confirmed(Duration latency) {
    }

    /**
     * The node sent a snapshot of its jobs: it holds {@code held} of its {@code slots} (running, claiming or
     * stopping), and {@code heartbeatAge} is the longest any running handler has gone without a heartbeat (or since
     * it started), zero while none runs.
     */
    default void reported(int slots, int held, Duration heartbeatAge) {
    }
}
