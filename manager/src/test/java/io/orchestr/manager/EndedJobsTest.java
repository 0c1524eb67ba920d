package io.orchestr.manager;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.orchestr.client.ConflictException;
import io.orchestr.client.OrchestratorClient;
import io.orchestr.manager.job.RetentionSweep;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.Progress;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.topology.Topology;
import io.orchestr.shared.wire.ToManager;
import io.orchestr.shared.wire.ToNode;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.sql.DataSource;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static io.orchestr.manager.Api.createJob;
import static io.orchestr.manager.Api.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** What becomes of jobs that ended: rerun, deleted for good, purged past their retention. */
@QuarkusTest
@WithTestResource(value = LocalServices.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class EndedJobsTest {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @Inject
    Topology topology;

    @Inject
    DataSource dataSource;

    @Inject
    RetentionSweep retention;

    @TestHTTPResource("/")
    URI baseUri;

    private FakeNode node;

    @BeforeEach
    void startNode() {
        node = FakeNode.start(topology);
    }

    @AfterEach
    void stopNode() {
        node.close();
    }

    @Test
    void aRerunQueuesACompletedJobAgainWithItsRunsResultsResetAndPublishesIt() {
        String name = uniqueName("rerun");
        UUID id = createJob(name);
        long epoch = endWithCheckpoint(id, ToManager.Outcome.COMPLETED);

        given().post("/api/jobs/" + id + "/rerun").then().statusCode(202)
                .body("id", equalTo(id.toString()))
                .body("name", equalTo(name))
                .body("status", equalTo("Queued"))
                .body("serverId", nullValue())
                .body("result", nullValue())
                .body("lastError", nullValue())
                .body("restarts", equalTo(0))
                .body("progress", nullValue())
                .body("startedAt", nullValue())
                .body("checkpoint", nullValue())
                .body("checkpointAt", nullValue());

        given().contentType(ContentType.JSON).body(Map.of("name", name)).post("/api/jobs").then().statusCode(409);
        assertThat(messagesOf(id)).as("the message of its creation, and the one of its rerun").isEqualTo(2);
        ToNode.Grant grant = node.claimGranted(id);
        assertThat(grant.epoch()).as("the node that ended it is granted it at once, under the next epoch")
                .isEqualTo(epoch + 1);
        assertThat(grant.checkpoint()).isNull();
        assertThat(Api.status(id)).isEqualTo(JobStatus.Processing);
    }

    @Test
    void aRerunThatKeepsTheCheckpointHandsItToTheNextRun() {
        UUID id = createJob(uniqueName("rerun-keep"));
        endWithCheckpoint(id, ToManager.Outcome.FAILED);

        JobView rerun = OrchestratorClient.create(baseUri).rerun(id, true);

        assertThat(rerun.status()).isEqualTo(JobStatus.Queued);
        assertThat(rerun.lastError()).isNull();
        assertThat(rerun.checkpoint()).isEqualTo(JSON.objectNode().put("offset", 7));
        try (FakeNode other = FakeNode.start(topology)) {
            assertThat(other.claimGranted(id).checkpoint()).isEqualTo(JSON.objectNode().put("offset", 7));
        }
    }

    @Test
    void aRerunBodyMustOnlySayWhetherToKeepTheCheckpoint() {
        UUID id = createJob(uniqueName("rerun-body"));
        endWithCheckpoint(id, ToManager.Outcome.COMPLETED);

        given().contentType(ContentType.JSON).body("{\"keepCheckpoint\": \"yes\"}").post("/api/jobs/" + id + "/rerun")
                .then().statusCode(400).body("field", equalTo("keepCheckpoint"));
        given().contentType(ContentType.JSON).body("{\"keep\": true}").post("/api/jobs/" + id + "/rerun")
                .then().statusCode(400).body("field", equalTo("keep"));
        given().contentType(ContentType.JSON).body("{\"keepCheckpoint\": false}").post("/api/jobs/" + id + "/rerun")
                .then().statusCode(202).body("checkpoint", nullValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Queued", "Processing", "Pausing", "Paused", "Deleting", "Deleted"})
    void aJobThatIsNeitherCompletedNorFailedCannotBeRerun(String status) {
        UUID id = createJob(uniqueName("no-rerun"));
        new Rows(dataSource).setStatus(id, status);

        given().post("/api/jobs/" + id + "/rerun").then().statusCode(409)
                .body("error", equalTo("job " + id + " is " + status + ": it can be rerun only while it is Completed"
                        + " or Failed"));
        assertThatThrownBy(() -> OrchestratorClient.create(baseUri).rerun(id)).isInstanceOf(ConflictException.class);
    }

    @Test
    void anUnknownJobCannotBeRerun() {
        given().post("/api/jobs/" + UUID.randomUUID() + "/rerun").then().statusCode(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"COMPLETED", "FAILED"})
    void deletingAnEndedJobMakesItDeletedAndFreesItsName(ToManager.Outcome outcome) {
        String name = uniqueName("forget");
        UUID id = createJob(name);
        endWithCheckpoint(id, outcome);

        given().delete("/api/jobs/" + id).then().statusCode(202).body("status", equalTo("Deleted"));

        createJob(name);
        given().delete("/api/jobs/" + id).then().statusCode(202).body("status", equalTo("Deleted"));
    }

    @Test
    void theSweepPurgesEndedJobsPastTheRetentionAndKeepsTheOthers() {
        Rows rows = new Rows(dataSource);
        List<UUID> old = List.of(createJob(uniqueName("old-completed")), createJob(uniqueName("old-failed")),
                createJob(uniqueName("old-deleted")));
        rows.setStatus(old.get(0), "Completed");
        rows.setStatus(old.get(1), "Failed");
        rows.setStatus(old.get(2), "Deleted");
        UUID recent = createJob(uniqueName("recent-completed"));
        rows.setStatus(recent, "Completed");
        rows.age(recent, 6);
        UUID queued = createJob(uniqueName("old-queued"));
        UUID running = createJob(uniqueName("old-running"));
        node.claimGranted(running);
        UUID paused = createJob(uniqueName("old-paused"));
        rows.setStatus(paused, "Paused");
        old.forEach(id -> rows.age(id, 8));
        List.of(queued, running, paused).forEach(id -> rows.age(id, 30));

        // two managers' sweeps at once: each purges what the other left
        CompletableFuture<Long> first = CompletableFuture.supplyAsync(this::purgeOlderThanAWeek);
        CompletableFuture<Long> second = CompletableFuture.supplyAsync(this::purgeOlderThanAWeek);

        assertThat(first.join() + second.join()).isEqualTo(3);
        old.forEach(id -> given().get("/api/jobs/" + id).then().statusCode(404));
        List.of(recent, queued, running, paused).forEach(id -> given().get("/api/jobs/" + id).then().statusCode(200));
        assertThat(purgeOlderThanAWeek()).isZero();
    }

    private long purgeOlderThanAWeek() {
        return retention.purgeChangedBefore(Instant.now().minus(Duration.ofDays(7)));
    }

    /**
     * Runs the job on the fake node, which stores a checkpoint, reports progress and ends it with a result (and an
     * error when it fails); returns the epoch it ran under.
     */
    private long endWithCheckpoint(UUID id, ToManager.Outcome outcome) {
        long epoch = node.claimGranted(id).epoch();
        node.send(new ToManager.Checkpoint(id, node.id, epoch, 1, JSON.objectNode().put("offset", 7)));
        assertThat(node.received(ToNode.CheckpointReply.class, id).stored()).isTrue();
        boolean failed = outcome == ToManager.Outcome.FAILED;
        node.send(new ToManager.JobEnded(id, node.id, epoch, outcome, 2, failed ? "boom" : null,
                failed ? null : JSON.objectNode().put("sum", 10), new Progress(10, 10, "done", Instant.now())));
        Api.awaitStatus(id, failed ? JobStatus.Failed : JobStatus.Completed);
        JobView ended = OrchestratorClient.create(baseUri).job(id);
        assertThat(ended.restarts()).isEqualTo(2);
        assertThat(ended.progress()).isNotNull();
        return epoch;
    }

    /** How many messages of the job its pool's queue holds; takes them all (and the others) out of it. */
    private int messagesOf(UUID id) throws RuntimeException {
        try (Connection connection = TestBroker.connect("ended-jobs-test");
             Channel channel = connection.createChannel()) {
            await("the rerun's message on " + topology.jobQueue("default")).atMost(FakeNode.DEADLINE)
                    .until(() -> channel.messageCount(topology.jobQueue("default")) > 0);
            int count = 0;
            for (GetResponse message = channel.basicGet(topology.jobQueue("default"), true); message != null;
                 message = channel.basicGet(topology.jobQueue("default"), true)) {
                count += id.toString().equals(message.getProps().getMessageId()) ? 1 : 0;
            }
            return count;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
