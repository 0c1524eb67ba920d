package io.orchestr.node.quarkus;

import io.micrometer.core.instrument.MeterRegistry;
import io.orchestr.node.NodeListener;
import io.orchestr.shared.wire.ToManager.Outcome;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.UUID;

/**
 * Counts the node's events in Micrometer, as a {@link NodeListener} like any other: {@code orchestr.node.grants},
 * {@code orchestr.node.drops}, {@code orchestr.node.runs.started}, {@code orchestr.node.jobs.ended} (tag
 * {@code outcome}), {@code orchestr.node.jobs.handed.back}, {@code orchestr.node.fences},
 * {@code orchestr.node.deliveries.lost} (the jobs stopped), {@code orchestr.node.connections} and
 * {@code orchestr.node.malformed.messages}. Called on the engine thread; a counter increment does not block.
 */
@Singleton
public class NodeMetrics implements NodeListener {
    private final MeterRegistry registry;

    NodeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void connected(UUID nodeId) {
        registry.counter("orchestr.node.connections").increment();
    }

    @Override
    public void granted(UUID jobId, long epoch) {
        registry.counter("orchestr.node.grants").increment();
    }

    @Override
    public void dropped(UUID jobId, String reason) {
        registry.counter("orchestr.node.drops").increment();
    }

    @Override
    public void jobStarted(UUID jobId, String jobName, long epoch, int restarts) {
        registry.counter("orchestr.node.runs.started", "restart", String.valueOf(restarts > 0)).increment();
    }

    @Override
    public void jobEnded(UUID jobId, Outcome outcome, String error) {
        registry.counter("orchestr.node.jobs.ended", "outcome", outcome.name().toLowerCase()).increment();
    }

    @Override
    public void jobHandedBack(UUID jobId, String reason) {
        registry.counter("orchestr.node.jobs.handed.back").increment();
    }

    @Override
    public void fenced(UUID nodeId, Duration silence) {
        registry.counter("orchestr.node.fences").increment();
    }

    @Override
    public void deliveriesLost(UUID nodeId, String cause, int jobs) {
        registry.counter("orchestr.node.deliveries.lost").increment(jobs);
    }

    @Override
    public void malformedMessage(String queue, String error) {
        registry.counter("orchestr.node.malformed.messages").increment();
    }
}
