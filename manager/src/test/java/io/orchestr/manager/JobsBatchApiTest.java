package io.orchestr.manager;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.orchestr.client.ConflictException;
import io.orchestr.client.OrchestratorClient;
import io.orchestr.client.OrchestratorException;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.api.NewJob;
import io.orchestr.shared.json.WireCodec;
import io.orchestr.shared.topology.Topology;
import io.orchestr.shared.wire.JobMessage;
import io.orchestr.shared.wire.ToManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static io.orchestr.manager.Api.createJob;
import static io.orchestr.manager.Api.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@WithTestResource(value = LocalServices.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class JobsBatchApiTest {

    @Inject
    Topology topology;

    @TestHTTPResource("/")
    URI baseUri;

    @Test
    void aBatchCreatesQueuedJobsInOrderWithTheirMessagesOnThePoolsQueue() throws Exception {
        List<String> names = IntStream.range(0, 3).mapToObj(i -> uniqueName("batch-" + i)).toList();
        List<Map<String, Object>> body = List.of(Map.of("name", names.get(0), "argument", "a"),
                Map.of("name", names.get(1), "type", "echo", "maxRestarts", 2),
                Map.of("name", names.get(2), "heartbeatTimeout", "PT30S"));

        ValidatableResponse answer = postBatch(body).statusCode(201)
                .body("size()", equalTo(3))
                .body("status", equalTo(List.of("Queued", "Queued", "Queued")))
                .body("name", equalTo(names))
                .body("[0].argument", equalTo("a"))
                .body("[1].type", equalTo("echo"))
                .body("[1].maxRestarts", equalTo(2))
                .body("[2].heartbeatTimeout", equalTo("PT30S"));

        List<String> ids = answer.extract().path("id");
        for (int i = 0; i < 3; i++) {
            given().get("/api/jobs/" + ids.get(i)).then().statusCode(200)
                    .body("name", equalTo(names.get(i)))
                    .body("status", equalTo("Queued"));
        }
        Map<String, JobMessage> messages = messagesOnTheDefaultQueue(Set.copyOf(ids));
        for (int i = 0; i < 3; i++) {
            assertThat(messages.get(ids.get(i)).name()).isEqualTo(names.get(i));
        }
    }

    @Test
    void theRunsOfAGroupCarryGroupAndIndexInTheirMessagesAndTheGroupsListShowsTheirResults() throws Exception {
        String group = uniqueName("shards");
        List<String> ids = postBatch(List.of(Map.of("name", uniqueName("s"), "group", group),
                Map.of("name", uniqueName("s"), "group", group), Map.of("name", uniqueName("s"), "group", group)))
                .statusCode(201).extract().path("id");

        Map<String, JobMessage> messages = messagesOnTheDefaultQueue(Set.copyOf(ids));
        for (int i = 0; i < ids.size(); i++) {
            assertThat(messages.get(ids.get(i))).extracting(JobMessage::group, JobMessage::index)
                    .containsExactly(group, i);
        }
        UUID first = UUID.fromString(ids.getFirst());
        try (FakeNode node = FakeNode.start(topology)) {
            node.claimGranted(first);
            node.send(new ToManager.JobEnded(first, node.id, 1, ToManager.Outcome.COMPLETED, 0, null,
                    JsonNodeFactory.instance.objectNode().put("rows", 42), null));
            Api.awaitStatus(first, JobStatus.Completed);
        }
        given().get("/api/jobs?group=" + group).then().statusCode(200).body("total", equalTo(3))
                .body("items.find { it.id == '" + first + "' }.result.rows", equalTo(42))
                .body("items.find { it.id == '" + ids.get(1) + "' }.result", nullValue());
    }

    @Test
    void aBatchWithOneInvalidElementCreatesNothingAndNamesItsIndexAndField() {
        String valid = uniqueName("valid");
        postBatch(List.of(Map.of("name", valid), Map.of("name", uniqueName("bad"), "pool", "no/slash")))
                .statusCode(400)
                .body("index", equalTo(1))
                .body("field", equalTo("pool"))
                .body("error", containsString("element 1"))
                .body("names", nullValue());

        assertNoJobNamed(valid);
    }

    @Test
    void aBatchElementOfTheWrongJsonTypeIsABadRequestNamingIt() {
        given().contentType(ContentType.JSON).body("[{\"name\": \"" + uniqueName("ok") + "\"}, {\"name\": 5}]")
                .when().post("/api/jobs/batch")
                .then().statusCode(400)
                .body("index", equalTo(1))
                .body("field", equalTo("name"));
        given().contentType(ContentType.JSON).body("[\"just a name\"]")
                .when().post("/api/jobs/batch")
                .then().statusCode(400)
                .body("index", equalTo(0))
                .body("field", nullValue());
    }

    @Test
    void aBatchWithTakenNamesCreatesNothingAndListsThemAll() {
        String first = uniqueName("taken");
        String second = uniqueName("taken");
        createJob(first);
        createJob(second);
        String fresh = uniqueName("fresh");

        postBatch(List.of(Map.of("name", second), Map.of("name", fresh), Map.of("name", first)))
                .statusCode(409)
                .body("names", equalTo(List.of(second, first)))
                .body("index", nullValue());

        assertNoJobNamed(fresh);
    }

    @Test
    void aNameGivenTwiceInABatchIsAConflictAndCreatesNothing() {
        String twice = uniqueName("twice");
        String other = uniqueName("other");

        postBatch(List.of(Map.of("name", twice), Map.of("name", other), Map.of("name", twice)))
                .statusCode(409)
                .body("index", equalTo(2))
                .body("names", equalTo(List.of(twice)));

        assertNoJobNamed(twice);
        assertNoJobNamed(other);
    }

    @Test
    void ofConcurrentBatchesSharingANameExactlyOneSucceedsAndTheOthersListIt() throws Exception {
        String shared = uniqueName("race");
        try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
            List<Future<Response>> answers = IntStream.range(0, 8).mapToObj(i -> threads.submit(() ->
                    postBatch(List.of(Map.of("name", uniqueName("own")), Map.of("name", shared)))
                            .extract().response())).toList();
            List<Response> conflicts = new ArrayList<>();
            int created = 0;
            for (Future<Response> answer : answers) {
                Response response = answer.get();
                if (response.statusCode() == 201) {
                    created++;
                } else {
                    conflicts.add(response);
                }
            }

            assertThat(created).isEqualTo(1);
            assertThat(conflicts).hasSize(7).allSatisfy(response -> {
                assertThat(response.statusCode()).isEqualTo(409);
                assertThat(response.<List<String>>path("names")).containsExactly(shared);
            });
        }
    }

    @Test
    void anEmptyBatchOrOneOfMoreThan1000IsABadRequest() {
        postBatch(List.of()).statusCode(400).body("index", nullValue());
        String prefix = uniqueName("too-many");
        List<Map<String, Object>> tooMany = IntStream.range(0, 1_001)
                .<Map<String, Object>>mapToObj(i -> Map.of("name", prefix + "-" + i)).toList();

        postBatch(tooMany).statusCode(400).body("error", containsString("1000")).body("index", nullValue());

        assertNoJobNamed(prefix + "-0");
    }

    @Test
    void aBodyThatIsNotAJsonArrayIsABadRequest() {
        given().contentType(ContentType.JSON).body("{\"name\": \"x\"}")
                .when().post("/api/jobs/batch")
                .then().statusCode(400)
                .body("error", containsString("array"));
    }

    @Test
    void theJavaClientCreatesJobsInOrderAndSurfacesIndexAndNames() {
        OrchestratorClient client = OrchestratorClient.create(baseUri);
        String taken = uniqueName("client-taken");
        createJob(taken);
        List<NewJob> jobs = List.of(NewJob.of(uniqueName("client"), "one").withMaxRestarts(1),
                NewJob.of(uniqueName("client"), "two"));

        List<JobView> created = client.createJobs(jobs);

        assertThat(created).extracting(JobView::name).containsExactly(jobs.get(0).name(), jobs.get(1).name());
        assertThat(created.getFirst().maxRestarts()).isEqualTo(1);
        assertThat(client.job(created.get(1).id()).argument()).isEqualTo("two");

        ConflictException conflict = catchThrowableOfType(ConflictException.class,
                () -> client.createJobs(List.of(NewJob.of(uniqueName("client"), ""), NewJob.of(taken, ""))));
        assertThat(conflict.names()).containsExactly(taken);
        OrchestratorException invalid = catchThrowableOfType(OrchestratorException.class,
                () -> client.createJobs(List.of(NewJob.of(uniqueName("client"), ""), NewJob.of(" ", ""))));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.index()).hasValue(1);
        assertThat(invalid.field()).hasValue("name");
    }

    private static ValidatableResponse postBatch(List<Map<String, Object>> jobs) {
        return given().contentType(ContentType.JSON).body(jobs).when().post("/api/jobs/batch").then();
    }

    private static void assertNoJobNamed(String name) {
        given().get("/api/jobs?name=" + name).then().statusCode(200).body("total", equalTo(0));
    }

    /** Takes messages off the default pool's queue until it saw each of {@code ids}; returns those by job id. */
    private Map<String, JobMessage> messagesOnTheDefaultQueue(Set<String> ids) throws Exception {
        Map<String, JobMessage> seen = new HashMap<>();
        Set<String> waiting = new HashSet<>(ids);
        try (Connection connection = TestBroker.connect("jobs-batch-api-test");
             Channel channel = connection.createChannel()) {
            // other tests of this class published to the same queue: skip their messages
            await("jobs " + ids + " on " + topology.jobQueue("default")).atMost(FakeNode.DEADLINE).until(() -> {
                GetResponse delivery = channel.basicGet(topology.jobQueue("default"), true);
                if (delivery != null && waiting.remove(delivery.getProps().getMessageId())) {
                    assertThat(delivery.getProps().getContentType()).isEqualTo(WireCodec.CONTENT_TYPE);
                    seen.put(delivery.getProps().getMessageId(), new WireCodec().decodeJob(delivery.getBody()));
                }
                return waiting.isEmpty();
            });
        }
        return seen;
    }
}
