package io.orchestr.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestr.client.JobFilter;
import io.orchestr.client.OrchestratorClient;
import io.orchestr.client.PageRequest;
import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.e2e.harness.TickLog;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.api.NewJob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The runs of a fan-out see their group and index on the nodes, and the group's list shows their results; the jobs
 * of one concurrency key run one at a time across three nodes and two managers (either may take a job's end and
 * admit the next), in creation order.
 */
class FanoutAndConcurrencyKeyTest {
    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static Cluster cluster;
    private static OrchestrProcess managerB;

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.withManager("ckey");
        managerB = cluster.addManager("ckey-manager-b");
        cluster.startNode("ckey-node-1", 4);
        cluster.startNode("ckey-node-2", 4);
        cluster.startNode("ckey-node-3", 4);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void twentyJobsOfOneKeyOnThreeNodesAllCompleteNeverTwoAtOnceAndInCreationOrder() {
        OrchestratorClient client = cluster.client();
        List<String> names = IntStream.range(0, 20).mapToObj(i -> "ckey-main-" + i).toList();
        List<NewJob> jobs = names.stream().map(name -> new NewJob(name, cluster.tickArgument(name, 50) + ";ticks=3",
                "finite", null, null).withConcurrencyKey("main", null)).toList();
        List<JobView> created = new ArrayList<>(client.createJobs(jobs.subList(0, 10)));
        created.addAll(Cluster.clientOf(managerB).createJobs(jobs.subList(10, 20)));

        assertThat(created.getLast().reason()).startsWith("waiting for concurrency key main (");
        await("all 20 jobs Completed").atMost(DEADLINE).pollInterval(Duration.ofMillis(200))
                .until(() -> created.stream().allMatch(job -> client.job(job.id()).status() == JobStatus.Completed));

        Map<String, TickLog.Run> runOf = new HashMap<>();
        for (String name : names) {
            List<TickLog.Run> runs = cluster.tickLog(name).runs();
            assertThat(runs).as("runs of %s", name).hasSize(1);
            runOf.put(name, runs.getFirst());
        }
        List<String> startOrder = names.stream().sorted(Comparator.comparingLong(name -> runOf.get(name).from()))
                .toList();
        assertThat(startOrder).as("the jobs in the order they started: their creation order").isEqualTo(names);
        for (int i = 1; i < startOrder.size(); i++) {
            TickLog.Run previous = runOf.get(startOrder.get(i - 1));
            TickLog.Run run = runOf.get(startOrder.get(i));
            assertThat(run.from()).as("%s started after %s ended: %s, %s", startOrder.get(i), startOrder.get(i - 1),
                    run, previous).isGreaterThan(previous.to());
        }
        assertThat(runOf.values().stream().map(TickLog.Run::nodeName).distinct().count()).as("nodes that ran them")
                .isGreaterThan(1);
    }

    @Test
    void eachRunOfABatchOfOneGroupSeesItsGroupAndIndexAndTheGroupsListShowsTheResults() {
        OrchestratorClient client = cluster.client();
        List<JobView> created = client.createJobs(IntStream.range(0, 5).mapToObj(i -> NewJob.of("ckey-shard-" + i,
                "").withType("count").withParams(Map.of("count", 2, "tickMillis", 20))
                .inGroup("ckey-shards", null)).toList());

        await("the group's runs Completed").atMost(DEADLINE).pollInterval(Duration.ofMillis(200))
                .until(() -> created.stream().allMatch(job -> client.job(job.id()).status() == JobStatus.Completed));

        List<JobView> listed = client.jobs(new JobFilter(null, null, null, null, "ckey-shards", null),
                new PageRequest(0, 50)).items();
        assertThat(listed).hasSize(5);
        for (JobView job : listed) {
            JsonNode result = job.result();
            assertThat(result).as("result of %s", job.name()).isNotNull();
            assertThat(result.get("group").asText()).isEqualTo("ckey-shards");
            assertThat(result.get("index").asInt()).as("index of %s", job.name()).isEqualTo(job.index());
            assertThat(job.name()).isEqualTo("ckey-shard-" + job.index());
        }
    }
}
