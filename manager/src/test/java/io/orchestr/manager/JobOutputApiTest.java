package io.orchestr.manager;

import io.orchestr.manager.broker.NodeOutputs;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.Limits;
import io.orchestr.shared.topology.Topology;
import io.orchestr.shared.wire.ToNode;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static io.orchestr.manager.Api.createJob;
import static io.orchestr.manager.Api.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * {@code GET /api/jobs/{id}/output} with the test playing a node that never answers output requests, as a node older
 * than them does (it dead-letters them): the manager asks the node of the job's latest grant, even after a release
 * cleared its owner, and answers 504 naming it; the errors are JSON like every other.
 */
@QuarkusTest
@WithTestResource(value = LocalServices.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class JobOutputApiTest {
    @Inject
    Topology topology;

    private FakeNode node;
    private String pool;

    @BeforeEach
    void startNode() {
        node = FakeNode.start(topology);
        pool = "output-" + UUID.randomUUID().toString().substring(0, 8);
        node.report(2, pool);
    }

    @AfterEach
    void stopNode() {
        node.close();
    }

    @Test
    void theNodeOfTheLastRunIsAskedAfterAPauseClearedTheOwnerAndANodeThatNeverAnswersGets504NamingIt() {
        UUID job = createJob(uniqueName("silent-output"), pool);
        node.claimGranted(job);
        given().post("/api/jobs/" + job + "/pause").then().statusCode(202);
        node.released(job, 1);
        Api.awaitStatus(job, JobStatus.Paused);

        given().get("/api/jobs/" + job + "/output?tail=10").then().statusCode(504).contentType(ContentType.JSON)
                .body("error", containsString("node " + node.id + " did not answer"))
                .body("error", containsString("older"));
        assertThat(node.outputRequests()).as("asked for the last run, on its node, though the job has no owner now")
                .containsExactly(new ToNode.Output(job, 1L, null, 10));
    }

    @Test
    void aNodeWhoseControlQueueIsGoneAnswers410AtOnceThoughTheManagersDoNotKnowItIsLostYet() {
        UUID job = createJob(uniqueName("gone-output"), pool);
        node.claimGranted(job);
        node.close();

        long started = System.nanoTime();
        given().get("/api/jobs/" + job + "/output").then().statusCode(410).contentType(ContentType.JSON)
                .body("error", equalTo("the output of run 1 of job " + job + " was on node fake-" + node.id + " ("
                        + node.id + "), which is gone"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the request came back, no timeout")
                .isLessThan(NodeOutputs.ANSWER_TIMEOUT);
    }

    @Test
    void aJobThatNeverRanAndAnUnknownJobAnswer404() {
        UUID job = createJob(uniqueName("never-ran"), pool);

        given().get("/api/jobs/" + job + "/output").then().statusCode(404).contentType(ContentType.JSON)
                .body("error", equalTo("job " + job + " has no run yet: its output appears once a node runs it"));
        given().get("/api/jobs/" + UUID.randomUUID() + "/output").then().statusCode(404)
                .body("error", containsString("no job with id"));
    }

    @Test
    void aBadTailOrFollowIs400NamingTheField() {
        UUID job = createJob(uniqueName("bad-query"), pool);

        given().get("/api/jobs/" + job + "/output?tail=-1").then().statusCode(400).body("field", equalTo("tail"));
        given().get("/api/jobs/" + job + "/output?tail=" + (Limits.OUTPUT_CHUNK + 1)).then().statusCode(400)
                .body("field", equalTo("tail"));
        given().get("/api/jobs/" + job + "/output?follow=maybe").then().statusCode(400)
                .body("field", equalTo("follow"));
    }
}
