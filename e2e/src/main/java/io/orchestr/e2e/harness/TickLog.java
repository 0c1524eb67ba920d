package io.orchestr.e2e.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ticks one demo job wrote: one line {@code <epochMillis> <jobName> <nodeName> <nodeId> <epoch>} per tick,
 * with {@code cancelled} appended on the line a handler writes when it sees its cancellation.
 */
public record TickLog(Path file) {

    public record Tick(long at, String job, String nodeName, String nodeId, long epoch, boolean cancelled) {
    }

    /** The time span one node incarnation ran the job. */
    public record Run(String nodeId, String nodeName, long epoch, long from, long to) {
        public boolean overlaps(Run other) {
            return from <= other.to && other.from <= to;
        }
    }

    /** A time the job did not tick: from one tick to the next. */
    public record Gap(long from, long to) {
        public long millis() {
            return to - from;
        }
    }

    /**
     * The longest time between two consecutive ticks of the job (any runs), the later tick after {@code since}: the
     * pause an event at {@code since} (a broker node's death, say) caused, if it caused one. Empty without such a
     * tick.
     */
    public Optional<Gap> longestGapEndingAfter(long since) {
        List<Tick> ticks = ticks().stream().sorted(Comparator.comparingLong(Tick::at)).toList();
        Gap longest = null;
        for (int i = 1; i < ticks.size(); i++) {
            Gap gap = new Gap(ticks.get(i - 1).at(), ticks.get(i).at());
            if (gap.to() > since && (longest == null || gap.millis() > longest.millis())) {
                longest = gap;
            }
        }
        return Optional.ofNullable(longest);
    }

    public List<Tick> ticks() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<Tick> ticks = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                String[] parts = line.trim().split(" ");
                if (parts.length >= 5) {
                    ticks.add(new Tick(Long.parseLong(parts[0]), parts[1], parts[2], parts[3], Long.parseLong(parts[4]),
                            parts.length > 5 && parts[5].equals("cancelled")));
                }
            }
            return ticks;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    public boolean started() {
        return !ticks().isEmpty();
    }

    /**
     * The runs of the job, one per grant (node incarnation and epoch: a restart or move back to the same node is a
     * run of its own), in the order they started.
     */
    public List<Run> runs() {
        Map<String, Run> runs = new LinkedHashMap<>();
        for (Tick tick : ticks()) {
            runs.merge(tick.nodeId() + "/" + tick.epoch(),
                    new Run(tick.nodeId(), tick.nodeName(), tick.epoch(), tick.at(), tick.at()),
                    (a, b) -> new Run(a.nodeId(), a.nodeName(), Math.max(a.epoch(), b.epoch()),
                            Math.min(a.from(), b.from()), Math.max(a.to(), b.to())));
        }
        return runs.values().stream().sorted(Comparator.comparingLong(Run::from)).toList();
    }

    /** Two runs of the job under different grants that overlap in time, if any. */
    public Optional<String> overlap() {
        List<Run> runs = runs();
        for (int i = 0; i < runs.size(); i++) {
            for (int j = i + 1; j < runs.size(); j++) {
                if (runs.get(i).overlaps(runs.get(j))) {
                    return Optional.of(file.getFileName() + ": " + runs.get(i) + " overlaps " + runs.get(j));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A tick of work that one node incarnation wrote after another incarnation had already started the job, if
     * any. Unlike {@link #overlap()} it leaves out the line a handler writes when it sees its cancellation: that
     * line does no work, and a node that was frozen while the job moved writes it when it thaws.
     */
    public Optional<String> workAfterMove() {
        List<Tick> work = ticks().stream().filter(tick -> !tick.cancelled()).toList();
        Map<String, Long> firstTick = new LinkedHashMap<>();
        for (Tick tick : work) {
            firstTick.putIfAbsent(tick.nodeId(), tick.at());
        }
        for (Tick tick : work) {
            long started = firstTick.get(tick.nodeId());
            for (Map.Entry<String, Long> later : firstTick.entrySet()) {
                if (later.getValue() > started && tick.at() > later.getValue()) {
                    return Optional.of(file.getFileName() + ": " + tick + " after incarnation " + later.getKey()
                            + " started at " + later.getValue());
                }
            }
        }
        return Optional.empty();
    }

    /** The node name of the latest tick, if any. */
    public Optional<String> lastNodeName() {
        List<Tick> ticks = ticks();
        return ticks.isEmpty() ? Optional.empty() : Optional.of(ticks.getLast().nodeName());
    }

    public boolean sawCancellation() {
        return ticks().stream().anyMatch(Tick::cancelled);
    }
}
