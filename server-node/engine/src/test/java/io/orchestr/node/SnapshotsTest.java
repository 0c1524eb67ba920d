package io.orchestr.node;

import io.orchestr.node.testing.NodeTestBase;
import io.orchestr.shared.RestartMode;
import io.orchestr.shared.wire.JobMessage;
import io.orchestr.shared.wire.ToManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What a node reports each heartbeat interval: every job in a full snapshot, only the news in the others. */
class SnapshotsTest extends NodeTestBase {

    @Test
    void aQuietNodeListsItsJobsOnlyInItsFullSnapshotsAndSaysHowManyItClaims() {
        manager.grantAll();
        OrchestratedServer node = start(node("reports-a").fullReportPeriod(Duration.ofSeconds(2))
                .handler(recorder.untilCancelled()));
        JobMessage job = broker.publishJob("quiet");
        eventually().until(() -> recorder.isRunning(job.jobId()));
        UUID id = idOf(node);

        // two full periods: the job's start as news, then full snapshots around quiet ones
        eventually().until(() -> snapshotsOf(id).stream().filter(ToManager.Snapshot::full).count() >= 3);

        List<ToManager.Snapshot> afterStart = snapshotsOf(id).stream()
                .dropWhile(s -> s.jobs().stream().noneMatch(j -> j.state() == ToManager.HeldState.RUNNING))
                .skip(1).toList();
        assertThat(afterStart).filteredOn(s -> !s.full()).isNotEmpty()
                .allSatisfy(s -> assertThat(s.jobs()).as("a quiet job in a partial snapshot").isEmpty());
        assertThat(afterStart).filteredOn(ToManager.Snapshot::full).isNotEmpty()
                .allSatisfy(s -> assertThat(s.jobs()).extracting(ToManager.SnapshotEntry::jobId)
                        .containsExactly(job.jobId()));
        assertThat(snapshotsOf(id)).allSatisfy(s -> assertThat(s.claiming()).isZero());
    }

    @Test
    void aRestartIsNewsInTheNextSnapshot() {
        manager.grantAll();
        OrchestratedServer node = start(node("reports-b").fullReportPeriod(Duration.ofMinutes(10))
                .handler(recorder.throwing("flaky")));
        JobMessage job = broker.publishJob("flaky", "default", "", RestartMode.ON_FAILURE);

        eventually().until(() -> recorder.starts(job.jobId()).size() >= 2);

        eventually().untilAsserted(() -> assertThat(snapshotsOf(idOf(node))).filteredOn(s -> !s.full())
                .flatExtracting(ToManager.Snapshot::jobs)
                .anySatisfy(entry -> {
                    assertThat(entry.restarts()).isGreaterThanOrEqualTo(1);
                    assertThat(entry.lastError()).contains("flaky");
                }));
    }

    private List<ToManager.Snapshot> snapshotsOf(UUID nodeId) {
        return manager.received(ToManager.Snapshot.class).stream().filter(s -> s.nodeId().equals(nodeId)).toList();
    }
}
