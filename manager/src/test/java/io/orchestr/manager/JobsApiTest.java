package io.orchestr.manager;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.orchestr.client.OrchestratorClient;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.Limits;
import io.orchestr.shared.RestartMode;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.api.NewJob;
import io.orchestr.shared.json.WireCodec;
import io.orchestr.shared.topology.Topology;
import io.orchestr.shared.wire.JobMessage;
import io.orchestr.shared.wire.ToNode;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static io.orchestr.manager.Api.createJob;
import static io.orchestr.manager.Api.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@WithTestResource(value = LocalServices.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class JobsApiTest {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @Inject
    Topology topology;

    @TestHTTPResource("/")
    URI baseUri;

    @Test
    void aNewJobIsQueuedWithTheDefaultsAndALocation() {
        String name = uniqueName("defaults");
        Response response = given().contentType(ContentType.JSON).body(Map.of("name", name))
                .when().post("/api/jobs");

        response.then().statusCode(201)
                .body("name", equalTo(name))
                .body("argument", equalTo(""))
                .body("type", equalTo("default"))
                .body("pool", equalTo("default"))
                .body("status", equalTo("Queued"))
                .body("serverId", nullValue())
                .body("restarts", equalTo(0))
                .body("maxRestarts", nullValue())
                .body("heartbeatTimeout", nullValue())
                .body("timeout", nullValue())
                .body("params", nullValue())
                .body("result", nullValue())
                .body("progress", nullValue());
        String id = response.path("id");
        assertThat(response.header("Location")).endsWith("/api/jobs/" + id);
        given().get("/api/jobs/" + id).then().statusCode(200)
                .body("id", equalTo(id))
                .body("name", equalTo(name))
                .body("status", equalTo("Queued"))
                .body("createdAt", equalTo(response.path("createdAt")));
    }

    @Test
    void aNewJobsMessageIsOnItsPoolsQueue() throws Exception {
        String name = uniqueName("published");
        UUID id = UUID.fromString(given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "argument", "42", "type", "echo", "restart", "never", "maxRestarts", 2,
                        "heartbeatTimeout", "PT30S", "params", Map.of("k", List.of(1, 2)), "timeout", "PT1H"))
                .when().post("/api/jobs")
                .then().statusCode(201)
                .extract().path("id"));

        try (Connection connection = TestBroker.connect("jobs-api-test");
             Channel channel = connection.createChannel()) {
            // other tests of this class published to the same queue: skip their messages
            GetResponse delivery = await("job " + id + " on " + topology.jobQueue("default"))
                    .atMost(FakeNode.DEADLINE)
                    .until(() -> channel.basicGet(topology.jobQueue("default"), true),
                            response -> response != null && id.toString().equals(response.getProps().getMessageId()));
            assertThat(delivery.getProps().getContentType()).isEqualTo(WireCodec.CONTENT_TYPE);
            assertThat(delivery.getProps().getDeliveryMode()).isEqualTo(2);
            assertThat(new WireCodec().decodeJob(delivery.getBody()))
                    .isEqualTo(new JobMessage(id, name, "42", "echo", "default", RestartMode.NEVER, 2,
                            Duration.ofSeconds(30), JSON.objectNode().set("k", JSON.arrayNode().add(1).add(2)),
                            Duration.ofHours(1)));
        }
    }

    @Test
    void theJavaClientCreatesAJobWithRestartLimitsThatTheApiShows() {
        OrchestratorClient client = OrchestratorClient.create(baseUri);

        JobView created = client.createJob(NewJob.of(uniqueName("limits"), "").withMaxRestarts(0)
                .withHeartbeatTimeout(Duration.ofMillis(1500)));

        assertThat(created.maxRestarts()).isZero();
        assertThat(created.heartbeatTimeout()).isEqualTo(Duration.ofMillis(1500));
        given().get("/api/jobs/" + created.id()).then().statusCode(200)
                .body("maxRestarts", equalTo(0))
                .body("heartbeatTimeout", equalTo("PT1.5S"));
        assertThat(client.job(created.id()).heartbeatTimeout()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void theJavaClientCreatesAJobWithParamsAndATimeoutThatTheApiShows() {
        OrchestratorClient client = OrchestratorClient.create(baseUri);

        JobView created = client.createJob(NewJob.of(uniqueName("params"), "")
                .withParams(new Resize(640, List.of("png", "webp"))).withTimeout(Duration.ofMinutes(10)));

        assertThat(created.timeout()).isEqualTo(Duration.ofMinutes(10));
        given().get("/api/jobs/" + created.id()).then().statusCode(200)
                .body("params.width", equalTo(640))
                .body("params.formats", equalTo(List.of("png", "webp")))
                .body("timeout", equalTo("PT10M"));
        JobView read = client.job(created.id());
        assertThat(read.params()).isEqualTo(JSON.objectNode().put("width", 640)
                .set("formats", JSON.arrayNode().add("png").add("webp")));
        assertThat(read.result()).isNull();
    }

    @ParameterizedTest(name = "params {0} are kept as given")
    @CsvSource(delimiter = '|', value = {"42", "\"text\"", "[1, \"two\", null]", "true"})
    void paramsMayBeAnyJsonValue(String params) throws Exception {
        String id = given().contentType(ContentType.JSON)
                .body("{\"name\": \"" + uniqueName("any-params") + "\", \"params\": " + params + "}")
                .when().post("/api/jobs")
                .then().statusCode(201).extract().path("id");

        assertThat(OrchestratorClient.create(baseUri).job(UUID.fromString(id)).params())
                .isEqualTo(new WireCodec().mapper().readTree(params));
    }

    @Test
    void paramsLargerThanTheLimitAreABadRequestNamingThemAlsoInABatch() {
        String big = "x".repeat(Limits.PARAMS);
        given().contentType(ContentType.JSON).body(Map.of("name", uniqueName("big"), "params", big))
                .when().post("/api/jobs")
                .then().statusCode(400)
                .body("field", equalTo("params"))
                .body("error", containsString("at most " + Limits.PARAMS + " bytes"));
        given().contentType(ContentType.JSON).body(List.of(Map.of("name", uniqueName("fits"), "params", "small"),
                        Map.of("name", uniqueName("big"), "params", Map.of("text", big))))
                .when().post("/api/jobs/batch")
                .then().statusCode(400)
                .body("index", equalTo(1))
                .body("field", equalTo("params"));
    }

    @Test
    void aNameTakenByAJobThatIsNotDeletedIsAConflict() {
        String name = uniqueName("taken");
        createJob(name);

        given().contentType(ContentType.JSON).body(Map.of("name", name))
                .when().post("/api/jobs")
                .then().statusCode(409)
                .body("field", equalTo("name"))
                .body("names", equalTo(List.of(name)))
                .body("index", nullValue());
    }

    @Test
    void ofConcurrentCreationsWithOneNameExactlyOneSucceeds() throws Exception {
        String name = uniqueName("race");
        try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
            List<Future<Integer>> answers = IntStream.range(0, 8).mapToObj(i -> threads.submit(() ->
                    given().contentType(ContentType.JSON).body(Map.of("name", name))
                            .when().post("/api/jobs").statusCode())).toList();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }

            assertThat(statuses).containsOnly(201, 409).containsOnlyOnce(201);
        }
    }

    @Test
    void aDeletedJobsNameCanBeUsedAgain() {
        String name = uniqueName("reused");
        UUID first = createJob(name);
        Api.cancel(first);

        UUID second = createJob(name);

        assertThat(second).isNotEqualTo(first);
    }

    @ParameterizedTest(name = "{0} is answered 400 naming {1}")
    @CsvSource(delimiter = '|', value = {
            "{}                                        | name",
            "{\"name\": \"   \"}                       | name",
            "{\"name\": 5}                             | name",
            "{\"name\": \"x\\r\\necho owned\"}        | name",
            "{\"name\": \"x\\u202ey\"}                | name",
            "{\"name\": \"ok\", \"argument\": [1]}     | argument",
            "{\"name\": \"ok\", \"type\": \"two words\"} | type",
            "{\"name\": \"ok\", \"type\": \"x\\u200by\"} | type",
            "{\"name\": \"ok\", \"pool\": \"no/slash\"}  | pool",
            "{\"name\": \"ok\", \"pool\": \"\"}          | pool",
            "{\"name\": \"ok\", \"restart\": \"sometimes\"} | restart",
            "{\"name\": \"ok\", \"restart\": true}      | restart",
            "{\"name\": \"ok\", \"maxRestarts\": -1}       | maxRestarts",
            "{\"name\": \"ok\", \"maxRestarts\": 1.5}      | maxRestarts",
            "{\"name\": \"ok\", \"maxRestarts\": \"2\"}    | maxRestarts",
            "{\"name\": \"ok\", \"maxRestarts\": 3000000000} | maxRestarts",
            "{\"name\": \"ok\", \"heartbeatTimeout\": 30}  | heartbeatTimeout",
            "{\"name\": \"ok\", \"heartbeatTimeout\": \"30s\"} | heartbeatTimeout",
            "{\"name\": \"ok\", \"heartbeatTimeout\": \"PT0.5S\"} | heartbeatTimeout",
            "{\"name\": \"ok\", \"heartbeatTimeout\": \"-PT5S\"} | heartbeatTimeout",
            "{\"name\": \"ok\", \"heartbeatTimeout\": \"P2D\"} | heartbeatTimeout",
            "{\"name\": \"ok\", \"heartbeatTimeout\": \"PT1.0005S\"} | heartbeatTimeout",
            "{\"name\": \"ok\", \"timeout\": 60}            | timeout",
            "{\"name\": \"ok\", \"timeout\": \"PT0.5S\"}    | timeout",
            "{\"name\": \"ok\", \"timeout\": \"P400D\"}     | timeout",
            "{\"name\": \"ok\", \"timeout\": \"PT1.0005S\"} | timeout",
    })
    void anInvalidFieldIsABadRequestNamingIt(String body, String field) {
        given().contentType(ContentType.JSON).body(body)
                .when().post("/api/jobs")
                .then().statusCode(400)
                .body("field", equalTo(field))
                .body("error", containsString(field));
    }

    @Test
    void aNameLongerThan200CharactersIsABadRequest() {
        given().contentType(ContentType.JSON).body(Map.of("name", "n".repeat(201)))
                .when().post("/api/jobs")
                .then().statusCode(400)
                .body("field", equalTo("name"));
    }

    @ParameterizedTest(name = "body {0} is a bad request")
    @CsvSource(delimiter = '|', value = {"not json", "[1, 2]", "{\"name\": \"x\"} trailing", "\"text\""})
    void aBodyThatIsNotAJsonObjectIsABadRequest(String body) {
        given().contentType(ContentType.JSON).body(body)
                .when().post("/api/jobs")
                .then().statusCode(400)
                .body("error", containsString("body"));
    }

    @Test
    void anUnknownOrMalformedJobIdIsNotFound() {
        given().get("/api/jobs/" + UUID.randomUUID()).then().statusCode(404).body("error", notNullValue());
        given().get("/api/jobs/not-a-uuid").then().statusCode(404);
        given().delete("/api/jobs/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void jobsAreListedByStatusNameAndPool() {
        String name = uniqueName("filtered");
        UUID gpuJob = createJob(name, "gpu");
        UUID cancelled = createJob(uniqueName("filtered"), "gpu");
        Api.cancel(cancelled);

        assertThat(listedIds("name=" + name)).containsExactly(gpuJob);
        assertThat(listedIds("pool=gpu&status=Queued")).contains(gpuJob).doesNotContain(cancelled);
        assertThat(listedIds("status=Deleted")).contains(cancelled).doesNotContain(gpuJob);
        List<String> pools = given().get("/api/jobs?pool=gpu").then().statusCode(200).extract().path("items.pool");
        assertThat(pools).isNotEmpty().containsOnly("gpu");
    }

    @Test
    void aNameEndingInAStarFindsTheNamesItStartsTreatingPercentAndUnderscoreAsThemselves() {
        String prefix = uniqueName("search") + "-";
        UUID first = createJob(prefix + "a");
        UUID second = createJob(prefix + "b%_c");
        createJob(uniqueName("other"));

        assertThat(listedIds("name=" + prefix + "*")).containsExactlyInAnyOrder(first, second);
        assertThat(listedIds("name=" + prefix + "b%_*")).containsExactly(second);
        assertThat(listedIds("name=" + prefix.replace("-", "_") + "*")).isEmpty();
        assertThat(listedIds("name=" + prefix + "a")).containsExactly(first);
    }

    @Test
    void jobsAreListedByTheServerThatRunsThem() {
        UUID running = createJob(uniqueName("running"));
        UUID queued = createJob(uniqueName("queued"));
        try (FakeNode node = FakeNode.start(topology)) {
            node.claimGranted(running);

            assertThat(listedIds("serverId=" + node.id)).containsExactly(running);
            given().get("/api/jobs/" + running).then()
                    .body("status", equalTo("Processing"))
                    .body("serverId", equalTo(node.id.toString()));
            assertThat(listedIds("serverId=" + node.id)).doesNotContain(queued);
        }
    }

    @Test
    void jobsAreListedPageByPageNewestFirst() {
        UUID oldest = createJob(uniqueName("page"), "paging");
        UUID middle = createJob(uniqueName("page"), "paging");
        UUID newest = createJob(uniqueName("page"), "paging");

        given().get("/api/jobs?pool=paging&page=0&size=2").then().statusCode(200)
                .body("page", equalTo(0))
                .body("size", equalTo(2))
                .body("total", equalTo(3));
        assertThat(listedIds("pool=paging&page=0&size=2")).containsExactly(newest, middle);
        assertThat(listedIds("pool=paging&page=1&size=2")).containsExactly(oldest);
    }

    @ParameterizedTest(name = "query {0} is answered 400 naming {1}")
    @CsvSource(delimiter = '|', value = {
            "status=Running | status",
            "serverId=nope  | serverId",
            "size=0         | size",
            "size=1001      | size",
            "page=-1        | page",
            "page=x         | page",
    })
    void anInvalidListingParameterIsABadRequestNamingIt(String query, String field) {
        given().get("/api/jobs?" + query).then().statusCode(400).body("field", equalTo(field));
    }

    @Test
    void cancellingAQueuedJobDeletesItAtOnceAndAgainChangesNothing() {
        UUID id = createJob(uniqueName("cancel-queued"));

        given().delete("/api/jobs/" + id).then().statusCode(202).body("status", equalTo("Deleted"));
        given().delete("/api/jobs/" + id).then().statusCode(202).body("status", equalTo("Deleted"));
    }

    @Test
    void cancellingARunningJobMakesItDeletingAndTellsTheNodes() {
        UUID id = createJob(uniqueName("cancel-running"));
        try (FakeNode node = FakeNode.start(topology)) {
            node.claimGranted(id);

            given().delete("/api/jobs/" + id).then().statusCode(202)
                    .body("status", equalTo("Deleting"))
                    .body("serverId", equalTo(node.id.toString()));

            node.received(ToNode.Cancel.class, id);
            given().delete("/api/jobs/" + id).then().statusCode(202).body("status", equalTo("Deleting"));
            assertThat(Api.status(id)).isEqualTo(JobStatus.Deleting);
        }
    }

    private static List<UUID> listedIds(String query) {
        List<String> ids = given().get("/api/jobs?" + query).then().statusCode(200).extract().path("items.id");
        return ids.stream().map(UUID::fromString).toList();
    }

    record Resize(int width, List<String> formats) {
    }
}
