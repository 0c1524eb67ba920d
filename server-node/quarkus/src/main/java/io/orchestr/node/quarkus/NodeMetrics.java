package io.orchestr.node.quarkus;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.orchestr.node.NodeListener;
import io.orchestr.shared.wire.ToManager.Outcome;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
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
 * docs/operations.md says what each answers. Every meter is registered at once, so each shows from the start, at 0.
 * Called on the engine thread; nothing here blocks.
 */
@Singleton
public class NodeMetrics implements NodeListener {
    private final AtomicInteger usedSlots = new AtomicInteger();
    private final AtomicInteger freeSlots = new AtomicInteger();
    private final AtomicLong heartbeatAgeNanos = new AtomicLong();
    private final Counter connections;
    private final Counter grants;
    private final Counter drops;
    private final Counter firstRuns;
    private final Counter restarts;
    private final Map<Outcome, Counter> ended = new EnumMap<>(Outcome.class);
    private final Counter handedBack;
    private final Counter fences;
    private final Counter deliveriesLost;
    private final Counter malformed;
    private final Counter checkpoints;
    private final Timer confirmLatency;

    NodeMetrics(MeterRegistry registry) {
        Gauge.builder("orchestr.node.slots", usedSlots, AtomicInteger::get).tag("state", "used")
                .description("Slots holding a job, as of the last snapshot").register(registry);
        Gauge.builder("orchestr.node.slots", freeSlots, AtomicInteger::get).tag("state", "free")
                .description("Slots free for another job, as of the last snapshot").register(registry);
        Gauge.builder("orchestr.node.heartbeat.age", heartbeatAgeNanos, nanos -> nanos.get() / 1e9)
                .baseUnit("seconds")
                .description("The longest a running handler has gone without a heartbeat, as of the last snapshot")
                .register(registry);
        connections = registry.counter("orchestr.node.connections");
        grants = registry.counter("orchestr.node.grants");
        drops = registry.counter("orchestr.node.drops");
        firstRuns = registry.counter("orchestr.node.runs.started", "restart", "false");
        restarts = registry.counter("orchestr.node.runs.started", "restart", "true");
        for (Outcome outcome : Outcome.values()) {
            ended.put(outcome, registry.counter("orchestr.node.jobs.ended", "outcome",
                    outcome.name().toLowerCase(Locale.ROOT)));
        }
        handedBack = registry.counter("orchestr.node.jobs.handed.back");
        fences = registry.counter("orchestr.node.fences");
        deliveriesLost = registry.counter("orchestr.node.deliveries.lost");
        malformed = registry.counter("orchestr.node.malformed.messages");
        checkpoints = registry.counter("orchestr.node.checkpoints");
        confirmLatency = Timer.builder("orchestr.node.confirm.latency")
                .description("From a publish to the managers until the broker confirmed it")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    @Override
    public void connected(UUID nodeId) {
        connections.increment();
    }

    @Override
    public void granted(UUID jobId, long epoch) {
        grants.increment();
    }

    @Override
    public void dropped(UUID jobId, String reason) {
        drops.increment();
    }

    @Override
    public void jobStarted(UUID jobId, String jobName, long epoch, int restartsSoFar) {
        (restartsSoFar > 0 ? restarts : firstRuns).increment();
    }

    @Override
    public void jobEnded(UUID jobId, Outcome outcome, String error) {
        ended.get(outcome).increment();
    }

    @Override
    public void jobHandedBack(UUID jobId, String reason) {
        handedBack.increment();
    }

    @Override
    public void fenced(UUID nodeId, Duration silence) {
        fences.increment();
    }

    @Override
    public void deliveriesLost(UUID nodeId, String cause, int jobs) {
        deliveriesLost.increment(jobs);
    }

    @Override
    public void malformedMessage(String queue, String error) {
        malformed.increment();
    }

    @Override
    public void checkpointStored(UUID jobId) {
        checkpoints.increment();
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
