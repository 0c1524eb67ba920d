package io.orchestr.manager;

import io.orchestr.shared.JobStatus;
import io.orchestr.shared.topology.Topology;
import io.orchestr.shared.wire.ToManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.orchestr.manager.Api.createJob;
import static io.orchestr.manager.Api.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Groups, parents and bulk actions over them. */
@QuarkusTest
@WithTestResource(value = LocalServices.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class BulkTest {
    @Inject
    Topology topology;

    @Test
    void aBatchNumbersTheJobsOfAGroupThatGiveNoIndexFromZeroAndTheListFiltersByGroup() {
        String group = uniqueName("fan");
        List<String> ids = given().contentType(ContentType.JSON).body(List.of(
                        Map.of("name", uniqueName("a"), "group", group),
                        Map.of("name", uniqueName("b"), "group", group, "index", 7),
                        Map.of("name", uniqueName("c"), "group", group),
                        Map.of("name", uniqueName("d"))))
                .post("/api/jobs/batch").then().statusCode(201)
                .body("index", equalTo(Arrays.asList(0, 7, 1, null)))
                .body("group", equalTo(Arrays.asList(group, group, group, null)))
                .extract().path("id");

        given().get("/api/jobs?group=" + group).then().statusCode(200).body("total", equalTo(3))
                .body("items.id", containsInAnyOrder(ids.get(0), ids.get(1), ids.get(2)));
    }

    @Test
    void aChildNamesAParentThatExistsAndTheListFiltersByParent() {
        UUID parent = createJob(uniqueName("parent"));
        String child = given().contentType(ContentType.JSON)
                .body(Map.of("name", uniqueName("child"), "parentId", parent.toString()))
                .post("/api/jobs").then().statusCode(201).body("parentId", equalTo(parent.toString()))
                .extract().path("id");

        given().get("/api/jobs?parentId=" + parent).then().body("total", equalTo(1)).body("items[0].id",
                equalTo(child));
        given().contentType(ContentType.JSON).body(Map.of("name", uniqueName("orphan"), "parentId",
                UUID.randomUUID().toString())).post("/api/jobs").then().statusCode(400)
                .body("field", equalTo("parentId"));
        given().contentType(ContentType.JSON).body(Map.of("name", uniqueName("nowhere"), "index", 1))
                .post("/api/jobs").then().statusCode(400).body("field", equalTo("index"));
        given().contentType(ContentType.JSON).body(Map.of("name", uniqueName("bad"), "group", "a\nb"))
                .post("/api/jobs").then().statusCode(400).body("field", equalTo("group"));
    }

    @Test
    void aBulkPauseAndResumeOfAGroupChangesEachJobOnceAndARepeatChangesNone() {
        String group = uniqueName("bulk");
        given().contentType(ContentType.JSON).body(List.of(Map.of("name", uniqueName("x"), "group", group,
                        "pool", "nobody-" + group), Map.of("name", uniqueName("y"), "group", group, "pool",
                        "nobody-" + group)))
                .post("/api/jobs/batch").then().statusCode(201);

        bulk(Map.of("action", "pause", "group", group)).statusCode(202).body("matched", equalTo(2))
                .body("changed", equalTo(2));
        bulk(Map.of("action", "pause", "group", group)).body("matched", equalTo(2)).body("changed", equalTo(0));
        given().get("/api/jobs?group=" + group + "&status=Paused").then().body("total", equalTo(2));

        bulk(Map.of("action", "resume", "group", group)).body("changed", equalTo(2));
        given().get("/api/jobs?group=" + group + "&status=Queued").then().body("total", equalTo(2));
        bulk(Map.of("action", "cancel", "group", group)).body("changed", equalTo(2));
        bulk(Map.of("action", "cancel", "group", group)).body("matched", equalTo(0));
    }

    @Test
    void aBulkRerunSkipsTheJobsThatDidNotEndAndCountsUnknownIdsAsUnmatched() {
        UUID running = createJob(uniqueName("running"));
        UUID done = createJob(uniqueName("done"));
        try (FakeNode node = FakeNode.start(topology)) {
            node.claimGranted(running);
            node.claimGranted(done);
            node.send(new ToManager.JobEnded(done, node.id, 1, ToManager.Outcome.COMPLETED, 0, null));
            Api.awaitStatus(done, JobStatus.Completed);

            bulk(Map.of("action", "rerun", "ids", List.of(running.toString(), done.toString(),
                    UUID.randomUUID().toString()))).statusCode(202).body("matched", equalTo(2))
                    .body("changed", equalTo(1));
            assertThat(Api.status(done)).isEqualTo(JobStatus.Queued);
            assertThat(Api.status(running)).isEqualTo(JobStatus.Processing);
        }
    }

    @Test
    void aBulkRequestThatChoosesNoneOrTwoWaysOrAnUnknownActionIsRefused() {
        bulk(Map.of("action", "pause")).statusCode(400).body("error", containsString("exactly one"));
        bulk(Map.of("action", "pause", "group", "g", "ids", List.of())).statusCode(400);
        bulk(Map.of("action", "explode", "group", "g")).statusCode(400).body("field", equalTo("action"));
        bulk(Map.of("action", "pause", "ids", List.of("not-a-uuid"))).statusCode(400).body("field", equalTo("ids"));
        bulk(Map.of("action", "pause", "ids", Collections.nCopies(1_001, UUID.randomUUID().toString())))
                .statusCode(400).body("field", equalTo("ids"));
        bulk(Map.of("action", "pause", "groups", "g")).statusCode(400).body("field", equalTo("groups"));
    }

    private static ValidatableResponse bulk(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/jobs/bulk").then();
    }
}
