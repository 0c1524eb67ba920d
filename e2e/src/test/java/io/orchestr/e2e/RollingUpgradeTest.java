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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A rolling upgrade (docs/architecture.md, "Version-aware placement"): two nodes that run type a ({@code ticker})
 * are replaced one by one by nodes that run a and b ({@code default}), each old one terminated (SIGTERM) once its
 * successor is up, with jobs of both types created before, between and after. Every a job keeps running, moved
 * with zero overlap when its node goes; every b job waits {@code Queued} saying why until the first b node exists,
 * then starts there; nothing fails.
 */
class RollingUpgradeTest {
    private static final String A = "ticker";
    private static final String B = "default";
    private static final int SLOTS = 30;
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static Cluster cluster;
    private static Jobs jobs;

    private final List<UUID> aJobs = new ArrayList<>();
    private final List<UUID> bJobs = new ArrayList<>();

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.withManager("rolling-upgrade");
        jobs = new Jobs(cluster);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void oldNodesReplacedOneByOneKeepEveryJobRunningOnceAtATimeAndStartTheNewTypeOnTheNewNodes() {
        List<OrchestrProcess> oldNodes = List.of(cluster.startNodeRunning("old-1", SLOTS, A),
                cluster.startNodeRunning("old-2", SLOTS, A));
        create("before", 4, 3);
        jobs.awaitAllProcessing(aJobs, DEADLINE);
        await("the b jobs waiting for a node of their type").atMost(DEADLINE).pollInterval(Duration.ofMillis(200))
                .until(() -> bJobs.stream().map(jobs::job).allMatch(job -> job.status() == JobStatus.Queued
                        && ("no live node of pool default runs type " + B).equals(job.reason())));

        for (int step = 1; step <= oldNodes.size(); step++) {
            cluster.startNodeRunning("new-" + step, SLOTS, A + "," + B);
            create("up-" + step, 2, 2);
            awaitRunning(bJobs, newNodes(step));
            awaitRunning(aJobs, Stream.concat(newNodes(step).stream(),
                    oldNodes.subList(step - 1, oldNodes.size()).stream().map(OrchestrProcess::name)).toList());

            oldNodes.get(step - 1).terminate();
            create("down-" + step, 2, 2);
            Set<String> left = Set.copyOf(Stream.concat(newNodes(step).stream(),
                    oldNodes.subList(step, oldNodes.size()).stream().map(OrchestrProcess::name)).toList());
            awaitRunning(aJobs, List.copyOf(left));
            awaitRunning(bJobs, newNodes(step));
        }

        List<UUID> all = Stream.concat(aJobs.stream(), bJobs.stream()).toList();
        jobs.assertNoJobRanTwiceAtOnce(all);
        assertThat(cluster.runOverlapsCounted()).as("orchestr_run_overlaps_total").isZero();
        for (UUID id : all) {
            JobView job = jobs.job(id);
            assertThat(job.status()).as("%s", job).isEqualTo(JobStatus.Processing);
            assertThat(job.lastError()).as("last error of %s", job.name()).isNull();
            assertThat(job.restarts()).as("restarts of %s", job.name()).isZero();
            List<JobEventView> events = cluster.client().events(id, PageRequest.first(100)).items();
            assertThat(events).as("history of %s", job.name()).extracting(JobEventView::kind)
                    .doesNotContain(JobEventKind.FAILED);
        }
        for (UUID id : bJobs) {
            List<JobEventView> grants = cluster.client().events(id, PageRequest.first(100)).items().stream()
                    .filter(event -> event.kind() == JobEventKind.GRANTED).toList();
            assertThat(grants).as("grants of b job %s: only to new nodes", id)
                    .allSatisfy(grant -> assertThat(grant.serverName()).startsWith("new-"));
        }
        assertThat(oldNodes).as("old nodes that started no b job").allSatisfy(node ->
                assertThat(node.log()).doesNotContain("no handler for job type"));
    }

    /** Creates {@code aCount} jobs of type a and {@code bCount} of type b, named after {@code label}. */
    private void create(String label, int aCount, int bCount) {
        for (int i = 0; i < aCount; i++) {
            aJobs.add(jobs.createTicking("a-" + label + "-" + i, A, 100));
        }
        for (int i = 0; i < bCount; i++) {
            bJobs.add(jobs.createTicking("b-" + label + "-" + i, B, 100));
        }
    }

    private static List<String> newNodes(int upTo) {
        return Stream.iterate(1, n -> n + 1).limit(upTo).map(n -> "new-" + n).toList();
    }

    /** Waits until every job of {@code ids} is {@code Processing} on one of {@code nodes} and ticks there. */
    private static void awaitRunning(List<UUID> ids, List<String> nodes) {
        await(ids.size() + " jobs running on " + nodes).atMost(DEADLINE).pollInterval(Duration.ofMillis(200))
                .until(() -> ids.stream().map(jobs::job).allMatch(job -> job.status() == JobStatus.Processing
                        && nodes.contains(job.serverName())
                        && nodes.contains(cluster.tickLog(job.name()).lastNodeName().orElse(""))));
    }
}
