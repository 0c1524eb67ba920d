package io.orchestr.manager;

import io.orchestr.manager.broker.QueueProbe;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.topology.Topology;
import io.orchestr.shared.wire.ToManager;
import io.orchestr.shared.wire.ToNode;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static io.orchestr.manager.Api.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Concurrency keys: at most the key's limit of its jobs hold a place (queued to run, or running) at once; the
 * others wait {@code Queued}, unpublished, in creation order, and a place freed admits the next.
 */
@QuarkusTest
@WithTestResource(value = LocalServices.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class ConcurrencyKeyTest {
    @Inject
    Topology topology;
    @Inject
    QueueProbe probe;
    @Inject
    DataSource dataSource;

    private String key;
    private String pool;
    private FakeNode node;

    @BeforeEach
    void setUp() {
        key = uniqueName("branch");
        pool = uniqueName("keyed");
        node = FakeNode.start(topology);
    }

    @AfterEach
    void tearDown() {
        node.close();
    }

    @Test
    void aKeyAdmitsItsLimitInCreationOrderAndTheOthersWaitUnpublishedWithAReason() {
        List<UUID> jobs = createBatch(3, null);

        assertThat(reason(jobs.get(0))).isNull();
        assertThat(reason(jobs.get(1))).isEqualTo("waiting for concurrency key " + key + " (1 running, limit 1)");
        assertThat(reason(jobs.get(2))).isEqualTo(reason(jobs.get(1)));
        given().get("/api/jobs/" + jobs.get(1)).then().body("status", equalTo("Queued"))
                .body("concurrencyKey", equalTo(key)).body("concurrencyLimit", equalTo(1));
        await("the admitted job's message").atMost(FakeNode.DEADLINE).until(() -> readyMessages() == 1);

        node.claim(jobs.get(1));
        assertThat(node.received(ToNode.Drop.class, jobs.get(1)).reason()).contains("concurrency key");
        assertThat(node.claimGranted(jobs.get(0)).epoch()).isEqualTo(1);
    }

    @Test
    void aJobThatEndsFreesItsPlaceForTheNextWaitingJobAndTheLastOneFreesTheKey() {
        List<UUID> jobs = createBatch(2, null);
        node.claimGranted(jobs.get(0));

        node.send(new ToManager.JobEnded(jobs.get(0), node.id, 1, ToManager.Outcome.COMPLETED, 0, null));

        awaitAdmitted(jobs.get(1));
        await("the admitted job's message").atMost(FakeNode.DEADLINE).until(() -> readyMessages() == 2);
        node.claimGranted(jobs.get(1));
        node.send(new ToManager.JobEnded(jobs.get(1), node.id, 1, ToManager.Outcome.FAILED, 0, "boom"));
        Api.awaitStatus(jobs.get(1), JobStatus.Failed);

        // no job of the key is active: a new one sets the key's limit anew
        List<UUID> next = createBatch(3, 2);
        assertThat(reason(next.get(1))).isNull();
        assertThat(reason(next.get(2))).isEqualTo("waiting for concurrency key " + key + " (2 running, limit 2)");
    }

    @Test
    void pauseAndCancelFreeThePlaceAndAResumedJobWaitsAgainAtTheEndOfTheLine() {
        List<UUID> jobs = createBatch(3, null);

        post(jobs.get(0), "pause").statusCode(202).body("status", equalTo("Paused"));
        awaitAdmitted(jobs.get(1));
        post(jobs.get(0), "resume").statusCode(202).body("status", equalTo("Queued"))
                .body("reason", equalTo("waiting for concurrency key " + key + " (1 running, limit 1)"));

        Api.cancel(jobs.get(1));
        awaitAdmitted(jobs.get(2)); // the resumed job joined the line after it
        assertThat(reason(jobs.get(0))).startsWith("waiting for concurrency key");

        node.claimGranted(jobs.get(2));
        post(jobs.get(2), "pause").statusCode(202).body("status", equalTo("Pausing"));
        assertThat(reason(jobs.get(0))).as("a pausing job still runs").startsWith("waiting for concurrency key");
        node.released(jobs.get(2), 1);
        awaitAdmitted(jobs.get(0));
        node.claim(jobs.get(0));
        assertThat(node.received(ToNode.Grant.class, jobs.get(0)).epoch()).isEqualTo(1);
    }

    @Test
    void aCancelledWaitingJobLeavesTheLineAndTheNextPlaceGoesToTheJobAfterIt() {
        List<UUID> jobs = createBatch(3, null);

        Api.cancel(jobs.get(1));
        Api.awaitStatus(jobs.get(1), JobStatus.Deleted);
        assertThat(reason(jobs.get(2))).as("a waiting job's cancel frees no place")
                .isEqualTo("waiting for concurrency key " + key + " (1 running, limit 1)");

        node.claimGranted(jobs.get(0));
        node.send(new ToManager.JobEnded(jobs.get(0), node.id, 1, ToManager.Outcome.COMPLETED, 0, null));
        awaitAdmitted(jobs.get(2));
        node.claimGranted(jobs.get(2));
    }

    @Test
    void aRerunJobWaitsForAPlaceAtTheEndOfTheLine() {
        List<UUID> jobs = createBatch(2, null);
        node.claimGranted(jobs.get(0));
        node.send(new ToManager.JobEnded(jobs.get(0), node.id, 1, ToManager.Outcome.COMPLETED, 0, null));
        awaitAdmitted(jobs.get(1));

        post(jobs.get(0), "rerun").statusCode(202).body("status", equalTo("Queued"))
                .body("reason", equalTo("waiting for concurrency key " + key + " (1 running, limit 1)"));

        node.claimGranted(jobs.get(1));
        node.send(new ToManager.JobEnded(jobs.get(1), node.id, 1, ToManager.Outcome.COMPLETED, 0, null));
        awaitAdmitted(jobs.get(0));
        assertThat(node.claimGranted(jobs.get(0)).epoch()).isEqualTo(2);
    }

    @Test
    void theKeyKeepsTheLimitOfItsFirstActiveJob() {
        List<UUID> jobs = new ArrayList<>();
        jobs.add(create(2));
        jobs.add(create(1));
        jobs.add(create(5));

        assertThat(reason(jobs.get(1))).isNull();
        assertThat(reason(jobs.get(2))).isEqualTo("waiting for concurrency key " + key + " (2 running, limit 2)");
    }

    @Test
    void aRestartedMovedOrFailedOverJobKeepsItsPlace() {
        List<UUID> jobs = createBatch(2, null);
        UUID holder = jobs.get(0);
        UUID waiting = jobs.get(1);
        assertThat(node.claimGranted(holder).epoch()).isEqualTo(1);

        post(holder, "restart").statusCode(202);
        node.released(holder, 1);
        Api.awaitStatus(holder, JobStatus.Queued);
        assertThat(node.claimGranted(holder).epoch()).isEqualTo(2);
        assertThat(reason(waiting)).as("after the restart").startsWith("waiting for concurrency key");

        try (FakeNode target = FakeNode.start(topology); FakeNode survivor = FakeNode.start(topology)) {
            target.report(2, pool);
            Api.awaitServer(target.id);
            given().contentType(ContentType.JSON).body(Map.of("serverId", target.id.toString()))
                    .post("/api/jobs/" + holder + "/move").then().statusCode(202);
            node.released(holder, 2);
            target.receivedPlaced(holder);
            assertThat(target.claimGranted(holder).epoch()).isEqualTo(3);
            assertThat(reason(waiting)).as("after the move").startsWith("waiting for concurrency key");

            target.close(); // the node dies while it runs the job: the job fails over, still holding its place
            assertThat(survivor.claimGranted(holder).epoch()).isEqualTo(4);
            survivor.claim(waiting);
            assertThat(survivor.received(ToNode.Drop.class, waiting).reason()).contains("concurrency key");
            assertThat(reason(waiting)).as("after the failover").startsWith("waiting for concurrency key");
        }
    }

    @Test
    void concurrentCreationsAdmitNoMoreThanTheLimit() throws Exception {
        create(3);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Callable<UUID>> creations = IntStream.range(0, 16).<Callable<UUID>>mapToObj(i -> () -> create(3))
                    .toList();
            List<UUID> jobs = new ArrayList<>();
            for (Future<UUID> created : threads.invokeAll(creations)) {
                jobs.add(created.get());
            }
            long admitted = jobs.stream().filter(job -> reason(job) == null).count();
            assertThat(admitted).as("admitted besides the first job").isEqualTo(2);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void theSweepAdmitsTheNextJobWhenAPlaceFreedWithoutAnAdmission() {
        List<UUID> jobs = createBatch(2, null);

        // as if the manager that ended the job had died before it admitted the next one
        new Rows(dataSource).setStatus(jobs.get(0), "Completed");

        awaitAdmitted(jobs.get(1));
        await("the admitted job's message").atMost(FakeNode.DEADLINE).until(() -> readyMessages() == 2);
    }

    @Test
    void aBadKeyOrLimitIsRefusedNamingTheField() {
        refused(Map.of("name", uniqueName("bad"), "concurrencyKey", "a\nb"), "concurrencyKey");
        refused(Map.of("name", uniqueName("bad"), "concurrencyKey", "k".repeat(201)), "concurrencyKey");
        refused(Map.of("name", uniqueName("bad"), "concurrencyKey", "k", "concurrencyLimit", 0), "concurrencyLimit");
        refused(Map.of("name", uniqueName("bad"), "concurrencyLimit", 2), "concurrencyLimit");
        refused(Map.of("name", uniqueName("bad"), "concurrencyKey", 7), "concurrencyKey");
        given().contentType(ContentType.JSON).body(List.of(Map.of("name", uniqueName("ok")),
                        Map.of("name", uniqueName("bad"), "concurrencyKey", "k", "concurrencyLimit", "two")))
                .post("/api/jobs/batch").then().statusCode(400).body("field", equalTo("concurrencyLimit"))
                .body("index", equalTo(1));
    }

    private static void refused(Map<String, Object> body, String field) {
        given().contentType(ContentType.JSON).body(body).post("/api/jobs").then().statusCode(400)
                .body("field", equalTo(field));
    }

    /** Creates {@code count} jobs of the key in one batch, in the test's pool; their ids in order. */
    private List<UUID> createBatch(int count, Integer limit) {
        List<Map<String, Object>> body = IntStream.range(0, count).mapToObj(i -> body(limit)).toList();
        List<String> ids = given().contentType(ContentType.JSON).body(body).post("/api/jobs/batch").then()
                .statusCode(201).extract().path("id");
        return ids.stream().map(UUID::fromString).toList();
    }

    private UUID create(Integer limit) {
        return UUID.fromString(given().contentType(ContentType.JSON).body(body(limit)).post("/api/jobs").then()
                .statusCode(201).extract().path("id"));
    }

    private Map<String, Object> body(Integer limit) {
        Map<String, Object> job = new HashMap<>(Map.of("name", uniqueName("run"), "pool", pool,
                "concurrencyKey", key));
        if (limit != null) {
            job.put("concurrencyLimit", limit);
        }
        return job;
    }

    private static String reason(UUID job) {
        return given().get("/api/jobs/" + job).then().statusCode(200).extract().path("reason");
    }

    private static void awaitAdmitted(UUID job) {
        await("job " + job + " admitted").atMost(FakeNode.DEADLINE).until(() -> reason(job) == null);
    }

    private int readyMessages() {
        return probe.readyJobMessages(topology.jobQueue(pool)).orElse(0);
    }

    private static io.restassured.response.ValidatableResponse post(UUID job, String action) {
        return given().contentType(ContentType.JSON).post("/api/jobs/" + job + "/" + action).then();
    }
}
