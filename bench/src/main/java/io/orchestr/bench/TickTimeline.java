package io.orchestr.bench;

import io.orchestr.e2e.harness.TickLog;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * When and where one job's handler ran, read from the ticks it wrote itself (epoch millis, the node incarnation
 * it ran on). Handlers write their first tick when they start, and a tick marked {@code cancelled} when they see
 * their cancellation.
 */
record TickTimeline(List<TickLog.Tick> ticks) {

    TickTimeline {
        ticks = List.copyOf(ticks);
    }

    /**
     * The ticks of work only, without those a handler wrote as it saw its cancellation: after a freeze, a thawed
     * handler writes that one as it stops, which is no work done.
     */
    TickTimeline withoutStopTicks() {
        return new TickTimeline(ticks.stream().filter(tick -> !tick.cancelled()).toList());
    }

    /** When the handler first started, anywhere. */
    OptionalLong firstTick() {
        return ticks.isEmpty() ? OptionalLong.empty() : OptionalLong.of(ticks.getFirst().at());
    }

    /** When the job's handler first ran on a node incarnation other than {@code nodeId}. */
    OptionalLong firstElsewhere(String nodeId) {
        return ticks.stream().filter(tick -> !tick.nodeId().equals(nodeId)).mapToLong(TickLog.Tick::at).min();
    }

    /** The last sign of life of the handler on node incarnation {@code nodeId}. */
    OptionalLong lastOn(String nodeId) {
        return ticks.stream().filter(tick -> tick.nodeId().equals(nodeId)).mapToLong(TickLog.Tick::at).max();
    }

    /** When the handler saw its cancellation. */
    OptionalLong cancelledAt() {
        return ticks.stream().filter(TickLog.Tick::cancelled).mapToLong(TickLog.Tick::at).min();
    }

    /** How the job moved off {@code nodeId}, once it has run elsewhere. */
    Optional<Handover> handoverFrom(String nodeId) {
        OptionalLong last = lastOn(nodeId);
        OptionalLong first = firstElsewhere(nodeId);
        return last.isPresent() && first.isPresent()
                ? Optional.of(new Handover(last.getAsLong(), first.getAsLong()))
                : Optional.empty();
    }

    /**
     * A job's move from one node to another: the last tick on the old one and the first on the new one.
     * Ticks carry milliseconds, so two runs with ticks in the same millisecond count as overlapping.
     */
    record Handover(long lastOnOld, long firstOnNew) {
        boolean overlaps() {
            return lastOnOld >= firstOnNew;
        }

        /** How long both ran at once as far as the ticks show; 0 when they did not. */
        long overlapMillis() {
            return Math.max(0, lastOnOld - firstOnNew);
        }
    }
}
