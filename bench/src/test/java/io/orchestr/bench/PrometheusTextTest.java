package io.orchestr.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusTextTest {
    private static final String BEFORE = """
            # HELP jvm_memory_used_bytes The amount of used memory
            # TYPE jvm_memory_used_bytes gauge
            jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.048576E7
            jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 2.097152E7
            jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 5.0E7
            process_uptime_seconds 12.5
            orchestr_snapshot_apply_seconds_count{kind="node"} 10.0
            orchestr_snapshot_apply_seconds_sum{kind="node"} 0.5
            """;
    private static final String AFTER = """
            orchestr_snapshot_apply_seconds_count{kind="node"} 30.0
            orchestr_snapshot_apply_seconds_sum{kind="node"} 1.5
            orchestr_snapshot_apply_seconds_max{kind="node"} 0.2
            """;

    @Test
    void sumsTheSamplesOfANameWhoseLabelsMatch() {
        PrometheusText metrics = PrometheusText.parse(BEFORE);

        assertThat(metrics.sum("jvm_memory_used_bytes", "area=\"heap\"")).isEqualTo(3.145728E7);
        assertThat(metrics.sum("process_uptime_seconds", "")).isEqualTo(12.5);
        assertThat(metrics.sum("missing", "")).isZero();
    }

    @Test
    void listsNamesByFragment() {
        assertThat(PrometheusText.parse(AFTER).namesContaining("snapshot")).containsExactly(
                "orchestr_snapshot_apply_seconds_count", "orchestr_snapshot_apply_seconds_max",
                "orchestr_snapshot_apply_seconds_sum");
    }

    @Test
    void theSnapshotTimerMeanIsTheTimeRecordedBetweenTwoScrapesPerSnapshot() {
        assertThat(SnapshotTimer.meanMillis(PrometheusText.parse(BEFORE), PrometheusText.parse(AFTER)))
                .hasValue(50.0);
    }

    @Test
    void withoutASnapshotTimerThereIsNoMean() {
        PrometheusText none = PrometheusText.parse("process_uptime_seconds 1.0\n");

        assertThat(SnapshotTimer.meanMillis(none, none)).isEmpty();
    }
}
