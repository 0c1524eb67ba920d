package io.orchestr.e2e;

import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.JobView;
import io.orchestr.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker loses a job queue, messages and all, while jobs run and others wait for a slot: the manager's
 * resync finds the shortfall and republishes, so every job runs or waits again.
 */
class QueueDeletedTest {
    private static final Duration RESYNC_INTERVAL = Duration.ofSeconds(4);
    private static Cluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.withManager("queue-deleted", TestServices.get().newDatabase("queue-deleted"),
                TestServices.get().broker(), Map.of("ORCHESTR_RESYNC_INTERVAL", RESYNC_INTERVAL.toSeconds() + "s"));
        cluster.startNode("node-1", 4);
        cluster.startNode("node-2", 4);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theManagerRepublishesEveryActiveJobWithinTheResyncInterval() throws Exception {
        Jobs jobs = new Jobs(cluster);
        List<UUID> ids = jobs.createTickers("lost", 10);
        await("8 jobs run, 2 wait for a slot").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> countByStatus(jobs, ids).getOrDefault(JobStatus.Processing, 0L) == 8
                        && countByStatus(jobs, ids).getOrDefault(JobStatus.Queued, 0L) == 2);

        long deletedAt;
        try (BrokerProbe probe = new BrokerProbe(cluster)) {
            probe.delete(probe.topology().jobQueue("default"));
            deletedAt = System.currentTimeMillis();
        }

        await("8 jobs run again, started after the queue was deleted")
                .atMost(RESYNC_INTERVAL.plus(Duration.ofSeconds(20))).pollInterval(Duration.ofMillis(200))
                .until(() -> ids.stream().map(jobs::job).filter(job -> job.status() == JobStatus.Processing)
                        .filter(job -> cluster.tickLog(job.name()).runs().getLast().from() > deletedAt)
                        .count() == 8);
        try (BrokerProbe probe = new BrokerProbe(cluster)) {
            assertThat(probe.ready(probe.topology().jobQueue("default")))
                    .as("messages waiting for a slot").isGreaterThanOrEqualTo(2);
        }
        assertThat(countByStatus(jobs, ids)).containsEntry(JobStatus.Processing, 8L)
                .containsEntry(JobStatus.Queued, 2L);
        jobs.assertNoJobRanTwiceAtOnce(ids);
        assertThat(cluster.manager().log()).contains("the broker lost their messages");

        // the waiting jobs' messages are real: a free slot takes one of them
        JobView running = ids.stream().map(jobs::job).filter(job -> job.status() == JobStatus.Processing)
                .findFirst().orElseThrow();
        cluster.client().markOnDeleting(running.id());
        await("a waiting job takes the freed slot").atMost(Duration.ofSeconds(20))
                .until(() -> countByStatus(jobs, ids).getOrDefault(JobStatus.Processing, 0L) == 8
                        && countByStatus(jobs, ids).getOrDefault(JobStatus.Queued, 0L) == 1);
    }

    private static Map<JobStatus, Long> countByStatus(Jobs jobs, List<UUID> ids) {
        return ids.stream().map(jobs::job).collect(Collectors.groupingBy(JobView::status,
                Collectors.counting()));
    }
}
