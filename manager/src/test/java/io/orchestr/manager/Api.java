package io.orchestr.manager;

import io.orchestr.shared.JobStatus;
import io.restassured.http.ContentType;

import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** Short ways to call the manager's REST API from tests. */
final class Api {
    private Api() {
    }

    /** A job name no other test uses. */
    static String uniqueName(String label) {
        return label + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates a job in {@code pool} and returns its id. */
    static UUID createJob(String name, String pool) {
        String id = given().contentType(ContentType.JSON).body(Map.of("name", name, "pool", pool))
                .when().post("/api/jobs")
                .then().statusCode(201)
                .extract().path("id");
        return UUID.fromString(id);
    }

    static UUID createJob(String name) {
        return createJob(name, "default");
    }

    /** Waits until the managers recorded a snapshot of {@code serverId}: it is listed, with its slots. */
    static void awaitServer(UUID serverId) {
        await("server " + serverId + " listed").atMost(FakeNode.DEADLINE).until(() ->
                given().get("/api/servers/" + serverId).statusCode() == 200);
    }

    static JobStatus status(UUID jobId) {
        return JobStatus.valueOf(given().get("/api/jobs/" + jobId).then().statusCode(200)
                .extract().<String>path("status"));
    }

    static void awaitStatus(UUID jobId, JobStatus status) {
        await("job " + jobId + " " + status).atMost(FakeNode.DEADLINE).until(() -> status(jobId) == status);
    }

    static void cancel(UUID jobId) {
        given().delete("/api/jobs/" + jobId).then().statusCode(202);
    }
}
