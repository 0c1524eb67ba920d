package io.orchestr.e2e;

import io.orchestr.client.PageRequest;
import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.shared.JobEventKind;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.JobEventView;
import io.orchestr.shared.api.JobView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A job's history across a real failover: its node is SIGKILLed, the job runs on the other node, and its events
 * tell it in order (created, granted to the first node under epoch 1, that run's end there, granted to the second
 * under epoch 2), with no overlap flagged by the manager.
 */
class HistoryFailoverTest {
    private static Cluster cluster;
    private static OrchestrProcess node1;
    private static OrchestrProcess node2;

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.withManager("history");
        node1 = cluster.startNode("node-1", 5);
        node2 = cluster.startNode("node-2", 5);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void theHistoryOfAJobWhoseNodeWasKilledTellsTheFailoverWithoutOverlap() throws Exception {
        Jobs jobs = new Jobs(cluster);
        UUID id = jobs.createTicker("history-kill");
        JobView before = jobs.awaitAllProcessing(List.of(id), Duration.ofSeconds(30)).get(id);
        jobs.awaitAllTicking(List.of(id), Duration.ofSeconds(30));
        OrchestrProcess victim = before.serverName().equals(node1.name()) ? node1 : node2;
        OrchestrProcess survivor = victim == node1 ? node2 : node1;

        victim.kill();

        await("job Processing on " + survivor.name()).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    JobView job = jobs.job(id);
                    return survivor.name().equals(job.serverName()) && job.status() == JobStatus.Processing;
                });
        List<JobEventView> events = cluster.client().events(id, PageRequest.first(100)).items();
        List<JobEventView> runs = events.stream().filter(event -> event.kind() == JobEventKind.CREATED
                || event.kind() == JobEventKind.GRANTED || event.kind().endsRun()).toList();

        assertThat(runs).as("created, granted, the old run's end, granted, in %s", events)
                .extracting(JobEventView::kind).containsExactly(JobEventKind.CREATED, JobEventKind.GRANTED,
                        JobEventKind.STOPPED, JobEventKind.GRANTED);
        assertRun(runs.get(1), before.serverId(), victim.name(), 1);
        assertRun(runs.get(2), before.serverId(), victim.name(), 1);
        assertThat(runs.get(2).detail()).contains("control queue is gone");
        assertRun(runs.get(3), jobs.job(id).serverId(), survivor.name(), 2);
        assertThat(runs).extracting(JobEventView::at).isSorted();
        assertThat(cluster.manager().log()).doesNotContain("may have run twice");
        assertThat(cluster.runOverlapsCounted()).as("orchestr_run_overlaps_total").isZero();
    }

    private static void assertRun(JobEventView event, UUID serverId, String serverName, long epoch) {
        assertThat(event.serverId()).as("node of %s", event).isEqualTo(serverId);
        assertThat(event.serverName()).as("node name of %s", event).isEqualTo(serverName);
        assertThat(event.epoch()).as("epoch of %s", event).isEqualTo(epoch);
    }
}
