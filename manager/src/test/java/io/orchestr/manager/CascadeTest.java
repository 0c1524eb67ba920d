package io.orchestr.manager;

import io.orchestr.shared.JobStatus;
import io.orchestr.shared.topology.Topology;
import io.orchestr.shared.wire.ToManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.orchestr.manager.Api.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Cancelling, pausing and resuming a parent does the same to its children that have not ended, and to theirs: a
 * tree of a parent, two children (one of them ended) and a grandchild, some queued, some running on a fake node.
 */
@QuarkusTest
@WithTestResource(value = LocalServices.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class CascadeTest {
    /** A pool no node serves: its jobs stay Queued. */
    private static final String NOWHERE = "nobody-serves-this";

    @Inject
    Topology topology;

    @Test
    void cancellingAParentCancelsItsChildrenAndGrandchildrenButLeavesAnEndedChildAlone() {
        try (FakeNode node = FakeNode.start(topology)) {
            UUID parent = job("parent", null, "default");
            UUID child = job("child", parent, NOWHERE);
            UUID done = job("done", parent, "default");
            UUID grandchild = job("grandchild", child, "default");
            node.claimGranted(parent);
            node.claimGranted(done);
            node.claimGranted(grandchild);
            node.send(new ToManager.JobEnded(done, node.id, 1, ToManager.Outcome.COMPLETED, 0, null));
            Api.awaitStatus(done, JobStatus.Completed);

            given().delete("/api/jobs/" + parent).then().statusCode(202).body("status", equalTo("Deleting"));

            assertThat(Api.status(child)).as("a queued child").isEqualTo(JobStatus.Deleted);
            assertThat(Api.status(grandchild)).as("a running grandchild").isEqualTo(JobStatus.Deleting);
            assertThat(Api.status(done)).as("an ended child keeps its status and name").isEqualTo(
                    JobStatus.Completed);
        }
    }

    @Test
    void pausingAParentPausesItsChildrenAndGrandchildrenAndResumingItResumesThem() {
        try (FakeNode node = FakeNode.start(topology)) {
            UUID parent = job("parent", null, NOWHERE);
            UUID child = job("child", parent, NOWHERE);
            UUID running = job("running", parent, "default");
            UUID grandchild = job("grandchild", child, NOWHERE);
            node.claimGranted(running);

            given().post("/api/jobs/" + parent + "/pause").then().statusCode(202).body("status", equalTo("Paused"));

            assertThat(Api.status(child)).isEqualTo(JobStatus.Paused);
            assertThat(Api.status(grandchild)).isEqualTo(JobStatus.Paused);
            assertThat(Api.status(running)).as("until its node stops the run").isEqualTo(JobStatus.Pausing);
            node.released(running, 1);
            Api.awaitStatus(running, JobStatus.Paused);

            given().post("/api/jobs/" + parent + "/resume").then().statusCode(202).body("status", equalTo("Queued"));

            assertThat(Api.status(child)).isEqualTo(JobStatus.Queued);
            assertThat(Api.status(grandchild)).isEqualTo(JobStatus.Queued);
            assertThat(Api.status(running)).isEqualTo(JobStatus.Queued);
        }
    }

    @Test
    void aBulkCancelOfAGroupReachesTheChildrenOfEachJobChosen() {
        String group = uniqueName("controllers");
        UUID parent = UUID.fromString(given().contentType(ContentType.JSON)
                .body(Map.of("name", uniqueName("parent"), "group", group, "pool", NOWHERE))
                .post("/api/jobs").then().statusCode(201).extract().path("id"));
        UUID child = job("child", parent, NOWHERE);

        given().contentType(ContentType.JSON).body(Map.of("action", "cancel", "group", group))
                .post("/api/jobs/bulk").then().statusCode(202).body("matched", equalTo(1))
                .body("changed", equalTo(1));

        assertThat(Api.status(child)).isEqualTo(JobStatus.Deleted);
    }

    /** Creates a job in {@code pool}, a child of {@code parent} unless null. */
    private static UUID job(String label, UUID parent, String pool) {
        Map<String, String> body = parent == null ? Map.of("name", uniqueName(label), "pool", pool)
                : Map.of("name", uniqueName(label), "pool", pool, "parentId", parent.toString());
        return UUID.fromString(given().contentType(ContentType.JSON).body(body).post("/api/jobs").then()
                .statusCode(201).extract().path("id"));
    }
}
