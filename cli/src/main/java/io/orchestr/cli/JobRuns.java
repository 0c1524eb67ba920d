package io.orchestr.cli;

import io.orchestr.shared.JobEventKind;
import io.orchestr.shared.api.JobEventView;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A job's runs, read from its history: each grant opens a run of a node under an epoch, its {@code started} event
 * says when the handler ran, and the first event that ends a run of that epoch ({@link JobEventKind#endsRun()})
 * closes it; as the manager's overlap check does, a grant made while another run is open counts as an overlap.
 *
 * @param runs      the runs, in the order they were granted
 * @param maxOwners the most runs that were open at once: 1 unless two overlapped (0 before the first grant)
 */
record JobRuns(List<Run> runs, int maxOwners) {
    /**
     * One run.
     *
     * @param startedAt when its node reported the handler running, or null
     * @param endedAt   when it ended, or null while it goes on
     * @param end       the event that ended it and its detail, or null
     */
    record Run(String node, Long epoch, Instant grantedAt, Instant startedAt, Instant endedAt, String end) {
        /** From its grant to the handler running; null before that. */
        Duration claimToRunning() {
            return startedAt == null ? null : Duration.between(grantedAt, startedAt);
        }
    }

    /** The runs of {@code events}, a job's history oldest first. */
    static JobRuns of(List<JobEventView> events) {
        List<Run> runs = new ArrayList<>();
        int maxOwners = 0;
        for (JobEventView event : events) {
            if (event.kind() == JobEventKind.GRANTED) {
                long open = runs.stream().filter(run -> run.endedAt() == null).count();
                runs.add(new Run(node(event), event.epoch(), event.at(), null, null, null));
                maxOwners = (int) Math.max(maxOwners, open + 1);
            } else if (event.kind() == JobEventKind.STARTED) {
                replaceOpen(runs, event, run -> new Run(run.node(), run.epoch(), run.grantedAt(), event.at(), null,
                        null));
            } else if (event.kind().endsRun()) {
                String end = event.kind().wireName() + (event.detail() == null ? "" : ": " + event.detail());
                replaceOpen(runs, event, run -> new Run(run.node(), run.epoch(), run.grantedAt(), run.startedAt(),
                        event.at(), end));
            }
        }
        return new JobRuns(List.copyOf(runs), maxOwners);
    }

    /** The gap before run {@code i}: from the end of the run before it to its grant; null for the first. */
    Duration gapBefore(int i) {
        if (i == 0 || runs.get(i - 1).endedAt() == null) {
            return null;
        }
        return Duration.between(runs.get(i - 1).endedAt(), runs.get(i).grantedAt());
    }

    /** Replaces the open runs the event is about (its epoch's, or every open one when it names none). */
    private static void replaceOpen(List<Run> runs, JobEventView event, UnaryOperator<Run> next) {
        for (int i = 0; i < runs.size(); i++) {
            Run run = runs.get(i);
            boolean about = event.epoch() == null || Objects.equals(event.epoch(), run.epoch());
            if (run.endedAt() == null && about && (event.kind() != JobEventKind.STARTED || run.startedAt() == null)) {
                runs.set(i, next.apply(run));
            }
        }
    }

    private static String node(JobEventView event) {
        return event.serverName() != null ? event.serverName()
                : event.serverId() != null ? event.serverId().toString() : "?";
    }
}
