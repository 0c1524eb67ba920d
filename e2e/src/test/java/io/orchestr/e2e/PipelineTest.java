package io.orchestr.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestr.client.JobFilter;
import io.orchestr.client.OrchestratorClient;
import io.orchestr.client.PageRequest;
import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.shared.JobEventKind;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.JobEventView;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.api.NewJob;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The runnable node's {@code pipeline} type with a real manager and real nodes: a failing stage stops the
 * pipeline; a pipeline whose controller node is SIGKILLed mid-stage, or that is paused and resumed, goes on,
 * finding its children instead of creating them again; a cancel reaches its children; a rerun runs it anew.
 */
class PipelineTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private Cluster cluster;
    private OrchestratorClient client;

    @AfterEach
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aFailingChildOfTheSecondStageCancelsItsSiblingAndFailsThePipelineWithoutStartingTheThird() {
        startWithOneNode("pipeline-fails");

        UUID pipeline = pipeline("release", null,
                List.of(List.of(finite(2), finite(3)),
                        List.of(Map.of("type", "failing", "argument", "failAfter=2;tickMillis=100"), finite(600)),
                        List.of(finite(1))));

        JobView failed = client.awaitEnd(pipeline, DEADLINE);
        assertThat(failed.status()).isEqualTo(JobStatus.Failed);
        assertThat(failed.lastError()).contains("release-s1-0").contains("ended Failed");

        JsonNode stages = failed.result().get("stages");
        assertThat(stages).as("stages 1 and 2 reported, stage 3 never created").hasSize(2);
        assertThat(statuses(stages.get(0))).containsExactly("Completed", "Completed");
        assertThat(statuses(stages.get(1))).containsExactly("Failed", "Deleted");
        assertThat(stages.get(1).get(0).get("name").asText()).isEqualTo("release-s1-0");
        assertThat(stages.get(0).get(0).get("id").asText()).isEqualTo(child(pipeline, "release.stage-0", 0).id()
                .toString());
        assertThat(children(pipeline)).as("no child of the third stage").hasSize(4)
                .noneMatch(child -> "release.stage-2".equals(child.group()))
                .allSatisfy(child -> assertThat(child.parentId()).isEqualTo(pipeline));
    }

    @Test
    void aPipelineWhoseControllerNodeIsSigkilledMidStageGoesOnElsewhereWithoutCreatingAChildTwice() {
        cluster = Cluster.withManager("pipeline-failover");
        client = cluster.client();
        OrchestrProcess first = cluster.startNodeServing("controller-1", 20, "controllers");
        OrchestrProcess second = cluster.startNodeServing("controller-2", 20, "controllers");
        cluster.startNode("worker", 4);

        UUID pipeline = pipeline("deploy", "controllers",
                List.of(List.of(finite(40)), List.of(finite(2), finite(2))));
        JobView running = awaitRunning(pipeline, "deploy.stage-0");
        String controller = client.job(pipeline).serverName();
        OrchestrProcess victim = controller.equals(first.name()) ? first : second;
        OrchestrProcess survivor = victim == first ? second : first;

        victim.kill();

        JobView completed = client.awaitEnd(pipeline, DEADLINE);
        assertThat(completed.status()).as(completed.lastError()).isEqualTo(JobStatus.Completed);
        assertThat(client.events(pipeline, PageRequest.first(100)).items()).as("the pipeline's grants")
                .filteredOn(event -> event.kind() == JobEventKind.GRANTED).extracting(JobEventView::serverName)
                .containsExactly(victim.name(), survivor.name());
        JsonNode stages = completed.result().get("stages");
        assertThat(statuses(stages.get(0))).containsExactly("Completed");
        assertThat(statuses(stages.get(1))).containsExactly("Completed", "Completed");
        assertThat(stages.get(0).get(0).get("id").asText()).as("the child found again, not a new one")
                .isEqualTo(running.id().toString());
        assertThat(children(pipeline)).as("each child created once").hasSize(3)
                .extracting(child -> child.group() + "#" + child.index()).doesNotHaveDuplicates();
    }

    @Test
    void pausingAPipelineMidStagePausesItsChildAndOnResumeItGoesOnWithTheSameChildren() {
        startWithOneNode("pipeline-pause");
        UUID pipeline = pipeline("nightly", null,
                List.of(List.of(finite(30)), List.of(finite(2))));
        JobView first = awaitRunning(pipeline, "nightly.stage-0");

        client.pause(pipeline);

        client.awaitStatus(pipeline, JobStatus.Paused, DEADLINE);
        client.awaitStatus(first.id(), JobStatus.Paused, DEADLINE);
        client.resume(pipeline);
        JobView completed = client.awaitEnd(pipeline, DEADLINE);
        assertThat(completed.status()).as(completed.lastError()).isEqualTo(JobStatus.Completed);
        assertThat(completed.result().at("/stages/0/0/id").asText()).isEqualTo(first.id().toString());
        assertThat(children(pipeline)).hasSize(2).allSatisfy(child -> assertThat(child.status())
                .isEqualTo(JobStatus.Completed));
    }

    @Test
    void cancellingAPipelineCancelsItsRunningChildren() {
        startWithOneNode("pipeline-cancel");
        UUID pipeline = pipeline("soak", null,
                List.of(List.of(finite(600), finite(600))));
        awaitRunning(pipeline, "soak.stage-0");

        client.markOnDeleting(pipeline);

        client.awaitStatus(pipeline, JobStatus.Deleted, DEADLINE);
        await("its children stopped").atMost(DEADLINE).until(() -> children(pipeline).stream()
                .allMatch(child -> child.status() == JobStatus.Deleted));
        assertThat(children(pipeline)).hasSize(2);
    }

    @Test
    void aRerunOfAPipelineDeletesTheChildrenOfItsFirstRunAndRunsItsStagesAnew() {
        startWithOneNode("pipeline-rerun");
        UUID pipeline = pipeline("weekly", null,
                List.of(List.of(finite(2))));
        String firstChild = client.awaitEnd(pipeline, DEADLINE).result().at("/stages/0/0/id").asText();

        client.rerun(pipeline);

        JobView again = client.awaitEnd(pipeline, DEADLINE);
        assertThat(again.status()).as(again.lastError()).isEqualTo(JobStatus.Completed);
        String secondChild = again.result().at("/stages/0/0/id").asText();
        assertThat(secondChild).isNotEqualTo(firstChild);
        assertThat(client.job(UUID.fromString(firstChild)).status()).isEqualTo(JobStatus.Deleted);
        assertThat(client.job(UUID.fromString(secondChild)).status()).isEqualTo(JobStatus.Completed);
    }

    /** Waits until every child of {@code group} runs (there is at least one); returns the first. */
    private JobView awaitRunning(UUID pipeline, String group) {
        return await("the children of " + group + " run").atMost(DEADLINE).until(() -> {
            List<JobView> stage = children(pipeline).stream().filter(child -> group.equals(child.group())).toList();
            return !stage.isEmpty() && stage.stream().allMatch(child -> child.status() == JobStatus.Processing)
                    ? child(pipeline, group, 0) : null;
        }, child -> child != null);
    }

    /** Starts a cluster {@code label} with one node of 8 slots in the default pool. */
    private void startWithOneNode(String label) {
        cluster = Cluster.withManager(label);
        client = cluster.client();
        cluster.startNode("node-1", 8);
    }

    /** Creates the pipeline {@code name} of {@code stages} in {@code pool} (null: the default pool). */
    private UUID pipeline(String name, String pool, List<List<Map<String, Object>>> stages) {
        return client.createJob(new NewJob(name, "", "pipeline", pool, null).withParams(Map.of("stages", stages)))
                .id();
    }

    /** A demo job that completes after {@code ticks} ticks of 100 ms. */
    private static Map<String, Object> finite(int ticks) {
        return Map.of("type", "finite", "argument", "ticks=" + ticks + ";tickMillis=100");
    }

    private static List<String> statuses(JsonNode stage) {
        return StreamSupport.stream(stage.spliterator(), false).map(child -> child.get("status").asText()).toList();
    }

    private List<JobView> children(UUID pipeline) {
        return client.jobs(JobFilter.childrenOf(pipeline), PageRequest.first(100)).items();
    }

    /** The child at {@code index} of {@code group}, null while there is none. */
    private JobView child(UUID pipeline, String group, int index) {
        return children(pipeline).stream().filter(child -> group.equals(child.group()) && child.index() == index)
                .findFirst().orElse(null);
    }
}
