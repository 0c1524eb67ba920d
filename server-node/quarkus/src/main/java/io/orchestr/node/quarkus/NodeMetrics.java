package io.orchestr.node.quarkus;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.orchestr.node.NodeListener;
import io.orchestr.shared.wire.ToManager.Outcome;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the node's events in Micrometer, as a {@link NodeListener} like any other: {@code orchestr.node.grants},
 * {@code orchestr.node.drops}, {@code orchestr.node.runs.started} (tag {@code restart}), {@code
 * orchestr.node.jobs.ended} (tag {@code outcome}), {@code orchestr.node.jobs.handed.back}, {@code
 * orchestr.node.fences}, {@code orchestr.node.deliveries.lost} (the jobs stopped), {@code orchestr.node.connections},
 * {@code orchestr.node.malformed.messages} and {@code orchestr.node.checkpoints}; times the broker's confirms
 * ({@code orchestr.node.confirm.latency}); and gauges what each snapshot found: {@code orchestr.node.slots} (tag
 * {@code state}, {@code used} or {@code free}) and {@code orchestr.node.heartbeat.age}. The table in
 * docs/operations.md says what each answers. Called on the engine thread; nothing here blocks.
 */
@Singleton
public class NodeMetrics implements NodeListener {
    private final MeterRegistry registry;
    private final AtomicInteger usedSlots = new AtomicInteger();
    private final AtomicInteger freeSlots = new AtomicInteger();
    private final AtomicLong heartbeatAgeNanos = new AtomicLong();
    private final Timer confirmLatency;

    NodeMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("orchestr.node.slots", usedSlots, AtomicInteger::get).tag("state", "used")
                .description("Slots holding a job, as of the last snapshot").register(registry);
        Gauge.builder("orchestr.node.slots", freeSlots, AtomicInteger::get).tag("state", "free")
                .description("Slots free for another job, as of the last snapshot").register(registry);
        Gauge.builder("orchestr.node.heartbeat.age", heartbeatAgeNanos, nanos -> nanos.get() / 1e9)
                .baseUnit("seconds")
                .description("The longest a running handler has gone without a heartbeat, as of the last snapshot")
                .register(registry);
        this.confirmLatency = Timer.builder("orchestr.node.confirm.latency")
                .description("From a publish to the managers until the broker confirmed it")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
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

    @Override
    public void checkpointStored(UUID jobId) {
        registry.counter("orchestr.node.checkpoints").increment();
    }

    @Override
    public void confirmed(Duration latency) {
        confirmLatency.record(latency);
    }

    @Override
    public void reported(int slots, int held, Duration heartbeatAge) {
        usedSlots.set(held);
        freeSlots.set(Math.max(0, slots - held));
        heartbeatAgeNanos.set(heartbeatAge.toNanos());
    }
}
