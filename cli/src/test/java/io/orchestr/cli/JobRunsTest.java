package io.orchestr.cli;

import io.orchestr.shared.JobEventKind;
import io.orchestr.shared.api.JobEventView;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A job's runs as {@code jobs describe} reads them from its history. */
class JobRunsTest {
    private static final Instant T = Instant.parse("2026-12-03T12:00:00Z");
    private static final UUID A = UUID.randomUUID();
    private static final UUID B = UUID.randomUUID();

    @Test
    void eachGrantOpensARunThatItsEpochsEndClosesWithTheGapBeforeTheNext() {
        JobRuns runs = JobRuns.of(List.of(
                event(0, JobEventKind.CREATED, null, null, null),
                event(10, JobEventKind.GRANTED, A, "node-a", 1L),
                event(60, JobEventKind.STARTED, A, "node-a", 1L),
                event(5_000, JobEventKind.STOPPED, A, "node-a", 1L),
                event(5_300, JobEventKind.GRANTED, B, "node-b", 2L),
                event(5_320, JobEventKind.STARTED, B, "node-b", 2L)));

        assertThat(runs.maxOwners()).isEqualTo(1);
        assertThat(runs.runs()).extracting(JobRuns.Run::node).containsExactly("node-a", "node-b");
        assertThat(runs.runs().get(0).claimToRunning()).isEqualTo(Duration.ofMillis(50));
        assertThat(runs.runs().get(0).end()).isEqualTo("stopped: why");
        assertThat(runs.runs().get(1).endedAt()).isNull();
        assertThat(runs.gapBefore(0)).isNull();
        assertThat(runs.gapBefore(1)).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void aGrantWhileAnotherRunIsOpenIsAnOverlap() {
        JobRuns runs = JobRuns.of(List.of(
                event(10, JobEventKind.GRANTED, A, "node-a", 1L),
                event(20, JobEventKind.GRANTED, B, "node-b", 2L),
                event(30, JobEventKind.STOPPED, A, "node-a", 1L)));

        assertThat(runs.maxOwners()).isEqualTo(2);
        assertThat(runs.runs().get(0).endedAt()).isEqualTo(T.plusMillis(30));
        assertThat(runs.runs().get(1).endedAt()).isNull();
    }

    @Test
    void noGrantNoRun() {
        JobRuns runs = JobRuns.of(List.of(event(0, JobEventKind.CREATED, null, null, null)));

        assertThat(runs.runs()).isEmpty();
        assertThat(runs.maxOwners()).isZero();
    }

    private static JobEventView event(long millis, JobEventKind kind, UUID server, String name, Long epoch) {
        return new JobEventView(T.plusMillis(millis), kind, server, name, epoch, null,
                kind == JobEventKind.STOPPED ? "why" : null);
    }
}
