package io.orchestr.bench;

import io.orchestr.e2e.harness.TickLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TickTimelineTest {
    private static final String OLD = "node-a-id";
    private static final String NEW = "node-b-id";

    private static TickLog.Tick tick(long at, String nodeId, long epoch, boolean cancelled) {
        return new TickLog.Tick(at, "job", nodeId.substring(0, 6), nodeId, epoch, cancelled);
    }

    @Test
    void aJobThatMovedStartedElsewhereAtTheFirstTickOfTheOtherNode() {
        TickTimeline timeline = new TickTimeline(List.of(tick(1000, OLD, 1, false), tick(1050, OLD, 1, false),
                tick(1400, NEW, 2, false), tick(1450, NEW, 2, false)));

        assertThat(timeline.firstTick()).hasValue(1000);
        assertThat(timeline.lastOn(OLD)).hasValue(1050);
        assertThat(timeline.firstElsewhere(OLD)).hasValue(1400);
        assertThat(timeline.handoverFrom(OLD)).hasValueSatisfying(handover -> {
            assertThat(handover.overlaps()).isFalse();
            assertThat(handover.overlapMillis()).isZero();
        });
    }

    @Test
    void aJobThatStillRunsWhereItStartedHasNotRunElsewhere() {
        TickTimeline timeline = new TickTimeline(List.of(tick(1000, OLD, 1, false), tick(1050, OLD, 1, false)));

        assertThat(timeline.firstElsewhere(OLD)).isEmpty();
        assertThat(timeline.handoverFrom(OLD)).isEmpty();
    }

    @Test
    void ticksOfTheOldNodeAfterTheNewOneStartedAreAnOverlap() {
        TickTimeline timeline = new TickTimeline(List.of(tick(1000, OLD, 1, false), tick(1200, NEW, 2, false),
                tick(1250, OLD, 1, false), tick(1260, OLD, 1, true)));

        assertThat(timeline.handoverFrom(OLD)).hasValueSatisfying(handover -> {
            assertThat(handover.overlaps()).isTrue();
            assertThat(handover.overlapMillis()).isEqualTo(60);
        });
    }

    @Test
    void ticksInTheSameMillisecondOnBothNodesCountAsAnOverlap() {
        TickTimeline timeline = new TickTimeline(List.of(tick(1000, OLD, 1, false), tick(1000, NEW, 2, false)));

        assertThat(timeline.handoverFrom(OLD).orElseThrow().overlaps()).isTrue();
    }

    @Test
    void theCancellationIsTheFirstTickMarkedCancelled() {
        TickTimeline timeline = new TickTimeline(List.of(tick(1000, OLD, 1, false), tick(1075, OLD, 1, true)));

        assertThat(timeline.cancelledAt()).hasValue(1075);
        assertThat(new TickTimeline(List.of()).cancelledAt()).isEmpty();
        assertThat(new TickTimeline(List.of()).firstTick()).isEmpty();
    }

    @Test
    void aTickFileInTheDemoHandlersFormatGivesTheTimeline(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("job.log");
        Files.writeString(file, """
                1000 job node-a node-a-id 1
                1050 job node-a node-a-id 1
                1090 job node-a node-a-id 1 cancelled
                1400 job node-b node-b-id 2
                1450 job node-b""");

        TickTimeline timeline = new TickTimeline(new TickLog(file).ticks());

        assertThat(timeline.lastOn(OLD)).hasValue(1090);
        assertThat(timeline.cancelledAt()).hasValue(1090);
        assertThat(timeline.firstElsewhere(OLD)).hasValue(1400);
        assertThat(timeline.ticks()).as("a line still being written is left out").hasSize(4);
    }
}
