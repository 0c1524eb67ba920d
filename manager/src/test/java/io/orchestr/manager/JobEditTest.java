package io.orchestr.manager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.orchestr.client.ConflictException;
import io.orchestr.client.OrchestratorClient;
import io.orchestr.shared.Limits;
import io.orchestr.shared.RestartMode;
import io.orchestr.shared.api.JobUpdate;
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
import org.junit.jupiter.params.provider.ValueSource;

import javax.sql.DataSource;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.orchestr.manager.Api.createJob;
import static io.orchestr.manager.Api.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** {@code PATCH /api/jobs/{id}}: editing a job that waits, and the grant that carries the edit to its node. */
@QuarkusTest
@WithTestResource(value = LocalServices.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class JobEditTest {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String MERGE_PATCH = "application/merge-patch+json";
    private static final WireCodec CODEC = new WireCodec();

    @Inject
    Topology topology;

    @Inject
    DataSource dataSource;

    @TestHTTPResource("/")
    URI baseUri;

    @Test
    void aPatchChangesEveryFieldItNamesAndTheNextGrantCarriesTheJobAsEdited() {
        String name = uniqueName("edited");
        UUID id = createJob(name);

        given().contentType(MERGE_PATCH)
                .body(Map.of("argument", "region=us", "params", Map.of("batch", 50), "restart", "never",
                        "maxRestarts", 3, "heartbeatTimeout", "PT20S", "timeout", "PT1H"))
                .when().patch("/api/jobs/" + id)
                .then().statusCode(200)
                .body("status", equalTo("Queued"))
                .body("argument", equalTo("region=us"))
                .body("params.batch", equalTo(50))
                .body("maxRestarts", equalTo(3))
                .body("heartbeatTimeout", equalTo("PT20S"))
                .body("timeout", equalTo("PT1H"));

        try (FakeNode node = FakeNode.start(topology)) {
            ToNode.Grant grant = node.claimGranted(id);
            assertThat(grant.spec()).isEqualTo(new JobMessage(id, name, "region=us", "default", "default",
                    RestartMode.NEVER, 3, Duration.ofSeconds(20), JSON.objectNode().put("batch", 50),
                    Duration.ofHours(1), 1L));
        }
    }

    @Test
    void nullClearsEachFieldToItsDefault() {
        String name = uniqueName("cleared");
        UUID id = create(NewJob.of(name, "region=eu").withParams(Map.of("a", 1)).withMaxRestarts(2)
                .withHeartbeatTimeout(Duration.ofSeconds(30)).withTimeout(Duration.ofMinutes(5)));
        patch(id, "{\"argument\": null, \"params\": null, \"restart\": null, \"maxRestarts\": null,"
                + " \"heartbeatTimeout\": null, \"timeout\": null}")
                .then().statusCode(200)
                .body("argument", equalTo(""))
                .body("params", nullValue())
                .body("maxRestarts", nullValue())
                .body("heartbeatTimeout", nullValue())
                .body("timeout", nullValue());

        try (FakeNode node = FakeNode.start(topology)) {
            assertThat(node.claimGranted(id).spec()).isEqualTo(new JobMessage(id, name, "", "default", "default",
                    RestartMode.ON_FAILURE, null, null, null, null, 1L));
        }
    }

    @Test
    void paramsAreMergedAsRfc7396Says() {
        UUID id = create(NewJob.of(uniqueName("merged"), "")
                .withParams(Map.of("a", 1, "b", Map.of("c", 2, "d", 3), "list", List.of(1, 2))));

        patch(id, "{\"params\": {\"b\": {\"c\": null, \"e\": 4}, \"f\": 5, \"list\": [3]}}")
                .then().statusCode(200);

        assertThat(OrchestratorClient.create(baseUri).job(id).params())
                .isEqualTo(CODEC.decode("{\"a\": 1, \"b\": {\"d\": 3, \"e\": 4}, \"list\": [3], \"f\": 5}"
                        .getBytes(StandardCharsets.UTF_8), JsonNode.class));
    }

    @Test
    void aPatchMayComeAsPlainJson() {
        UUID id = createJob(uniqueName("plain-json"));

        given().contentType(ContentType.JSON).body(Map.of("argument", "x=1"))
                .when().patch("/api/jobs/" + id)
                .then().statusCode(200).body("argument", equalTo("x=1"));
    }

    @Test
    void aPatchThatChangesNothingLeavesTheJobUnedited() {
        UUID id = create(NewJob.of(uniqueName("unchanged"), "same"));

        patch(id, "{}").then().statusCode(200);
        patch(id, "{\"argument\": \"same\"}").then().statusCode(200);

        try (FakeNode node = FakeNode.start(topology)) {
            assertThat(node.claimGranted(id).spec().revision()).isZero();
        }
    }

    @Test
    void theGrantOfAJobNeverEditedCarriesTheJobAsStored() {
        String name = uniqueName("never-edited");
        UUID id = createJob(name);

        try (FakeNode node = FakeNode.start(topology)) {
            ToNode.Grant grant = node.claimGranted(id);
            assertThat(grant.spec().name()).isEqualTo(name);
            assertThat(grant.spec().revision()).isZero();
        }
    }

    @Test
    void theGrantsOfABatchCarryEachJobAsStored() {
        UUID edited = createJob(uniqueName("batch-edited"));
        UUID unedited = createJob(uniqueName("batch-unedited"));
        patch(edited, "{\"argument\": \"v2\"}").then().statusCode(200);

        try (FakeNode node = FakeNode.start(topology)) {
            node.claimBatch(5, List.of(edited, unedited));
            Map<UUID, ToNode.Grant> grants = node.decisions(5).grants().stream()
                    .collect(Collectors.toMap(ToNode.Grant::jobId, grant -> grant));
            assertThat(grants.get(edited).spec().argument()).isEqualTo("v2");
            assertThat(grants.get(edited).spec().revision()).isEqualTo(1);
            assertThat(grants.get(unedited).spec().revision()).isZero();
        }
    }

    @Test
    void aPausedJobMayBeEdited() {
        UUID id = createJob(uniqueName("paused"));
        new Rows(dataSource).setStatus(id, "Paused");

        patch(id, "{\"argument\": \"after-pause\"}").then().statusCode(200)
                .body("status", equalTo("Paused"))
                .body("argument", equalTo("after-pause"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Processing", "Pausing", "Deleting", "Deleted", "Completed", "Failed"})
    void aJobThatIsNeitherQueuedNorPausedIsAConflict(String status) {
        UUID id = createJob(uniqueName("conflict"));
        new Rows(dataSource).setStatus(id, status);

        patch(id, "{\"argument\": \"late\"}").then().statusCode(409)
                .body("error", equalTo("job " + id + " is " + status + ": it can be edited only while it is Paused"
                        + " or Queued"));
        assertThat(OrchestratorClient.create(baseUri).job(id).argument()).isEmpty();
    }

    @Test
    void aRunningJobIsAConflict() {
        UUID id = createJob(uniqueName("running"));
        try (FakeNode node = FakeNode.start(topology)) {
            node.claimGranted(id);

            patch(id, "{\"argument\": \"late\"}").then().statusCode(409).body("error", containsString("Processing"));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"argument\": 42}                    | argument",
            "{\"restart\": \"sometimes\"}          | restart",
            "{\"maxRestarts\": -1}                 | maxRestarts",
            "{\"maxRestarts\": \"3\"}              | maxRestarts",
            "{\"heartbeatTimeout\": \"PT0.5S\"}    | heartbeatTimeout",
            "{\"heartbeatTimeout\": 30}            | heartbeatTimeout",
            "{\"timeout\": \"forever\"}            | timeout",
            "{\"timeout\": \"PT0.0001S\"}          | timeout",
            "{\"name\": \"renamed\"}               | name",
            "{\"pool\": \"gpu\"}                   | pool",
            "{\"colour\": \"blue\"}                | colour",
            "{\"sticky\": \"yes\"}                 | sticky",
    })
    void anInvalidOrUnknownFieldIsABadRequestNamingIt(String body, String field) {
        UUID id = createJob(uniqueName("invalid"));

        patch(id, body).then().statusCode(400).body("field", equalTo(field));
        assertThat(OrchestratorClient.create(baseUri).job(id).argument()).isEmpty();
    }

    @Test
    void paramsLargerThanTheLimitAreABadRequestNamingThem() {
        UUID id = createJob(uniqueName("large-params"));

        patch(id, "{\"params\": \"" + "x".repeat(Limits.PARAMS) + "\"}").then().statusCode(400)
                .body("field", equalTo("params"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"argument\"", "", "{"})
    void aBodyThatIsNotAJsonObjectIsABadRequest(String body) {
        UUID id = createJob(uniqueName("not-object"));

        patch(id, body).then().statusCode(400).body("field", nullValue());
    }

    @Test
    void anUnknownJobIsNotFound() {
        patch(UUID.randomUUID(), "{\"argument\": \"x\"}").then().statusCode(404);
    }

    @Test
    void theJavaClientSetsAndClearsFields() {
        OrchestratorClient client = OrchestratorClient.create(baseUri);
        UUID id = client.createJob(NewJob.of(uniqueName("client"), "old").withTimeout(Duration.ofMinutes(1))).id();

        JobView edited = client.update(id, JobUpdate.none().withArgument("new").withoutTimeout()
                .withHeartbeatTimeout(Duration.ofSeconds(5)).withParams(Map.of("k", "v")));

        assertThat(edited.argument()).isEqualTo("new");
        assertThat(edited.timeout()).isNull();
        assertThat(edited.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(edited.params()).isEqualTo(JSON.objectNode().put("k", "v"));
        assertThat(client.job(id)).isEqualTo(edited);
        new Rows(dataSource).setStatus(id, "Completed");
        assertThatThrownBy(() -> client.update(id, JobUpdate.none().withoutArgument()))
                .isInstanceOf(ConflictException.class).hasMessageContaining("Completed");
    }

    @Test
    void stickyIsSetAtCreationShownInTheViewAndEditableWhileTheJobWaits() {
        OrchestratorClient client = OrchestratorClient.create(baseUri);
        UUID sticky = client.createJob(NewJob.of(uniqueName("sticky"), "").withSticky(true)).id();
        UUID plain = createJob(uniqueName("not-sticky"));

        assertThat(client.job(sticky).sticky()).isTrue();
        assertThat(client.job(plain).sticky()).as("the default").isFalse();
        assertThat(client.update(plain, JobUpdate.none().withSticky(true)).sticky()).isTrue();
        patch(sticky, "{\"sticky\": null}").then().statusCode(200).body("sticky", equalTo(false));
        given().contentType(ContentType.JSON).body("{\"name\": \"" + uniqueName("bad-sticky") + "\", \"sticky\": 1}")
                .when().post("/api/jobs").then().statusCode(400).body("field", equalTo("sticky"));
    }

    @Test
    void theOpenApiDocumentHasTheEditAndTheRerun() {
        String document = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract()
                .asString();

        assertThat(document).contains("\"/api/jobs/{id}/rerun\"").contains("\"patch\"")
                .contains(MERGE_PATCH).contains("JobUpdate");
    }

    private static Response patch(UUID id, String body) {
        return given().contentType(MERGE_PATCH).body(body).when().patch("/api/jobs/" + id);
    }

    private UUID create(NewJob job) {
        return OrchestratorClient.create(baseUri).createJob(job).id();
    }
}
