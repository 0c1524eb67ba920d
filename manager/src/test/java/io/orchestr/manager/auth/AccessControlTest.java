package io.orchestr.manager.auth;

import io.orchestr.manager.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * Access control as DESIGN.md, "Operator surface", states it, with the tokens file of the test profile: every
 * {@code /api} call needs a bearer token, whose role says what it may do; health and metrics are open.
 */
@QuarkusTest
class AccessControlTest {

    /** Requests here carry exactly the token each test names, not the admin's that TestTokens adds by default. */
    @BeforeEach
    void noDefaultToken() {
        RestAssured.replaceFiltersWith(List.of());
    }

    @Test
    void aCallWithoutATokenIs401WithTheJsonErrorBodyAndABearerChallenge() {
        refused(given().get("/api/jobs").then(), 401)
                .header("WWW-Authenticate", equalTo("Bearer"))
                .body("error", startsWith("a bearer token is required"));
        refused(given().post("/api/servers/" + UUID.randomUUID() + "/drain").then(), 401);
    }

    @Test
    void aTokenTheFileDoesNotListIs401() {
        refused(as("not-a-listed-token").get("/api/servers").then(), 401)
                .body("error", equalTo("the bearer token is not valid"));
        refused(given().header("Authorization", "Basic dXNlcjpwYXNz").get("/api/jobs").then(), 401);
    }

    @Test
    void aViewerReadsJobsAndServersButCreatingAJobIs403() {
        as(TestTokens.VIEWER).get("/api/jobs").then().statusCode(200);
        as(TestTokens.VIEWER).get("/api/servers").then().statusCode(200);
        refused(as(TestTokens.VIEWER).contentType(ContentType.JSON).body(newJob()).post("/api/jobs").then(), 403)
                .body("error", equalTo("the token's role may not do this"));
    }

    @Test
    void anOperatorCreatesAndCancelsAJobButDrainingIs403() {
        String id = as(TestTokens.OPERATOR).contentType(ContentType.JSON).body(newJob()).post("/api/jobs")
                .then().statusCode(201).extract().path("id");
        as(TestTokens.OPERATOR).post("/api/jobs/" + id + "/pause").then().statusCode(202);
        as(TestTokens.OPERATOR).delete("/api/jobs/" + id).then().statusCode(202);
        refused(as(TestTokens.OPERATOR).post("/api/servers/" + UUID.randomUUID() + "/drain").then(), 403);
        refused(as(TestTokens.OPERATOR).post("/api/servers/" + UUID.randomUUID() + "/undrain").then(), 403);
    }

    @Test
    void onlyTheExecRoleCreatesOrEditsJobsThatRunCommandsWhichAnOperatorStillSteers() {
        Map<String, Object> command = Map.of("name", "auth-" + UUID.randomUUID().toString().substring(0, 8),
                "type", "exec", "params", Map.of("command", "true"));
        Map<String, Object> pipeline = Map.of("name", "auth-" + UUID.randomUUID().toString().substring(0, 8),
                "type", "pipeline", "params", Map.of("stages", List.of(List.of(Map.of("type", "finite"),
                        Map.of("type", "exec", "params", Map.of("command", "true"))))));

        refused(as(TestTokens.OPERATOR).contentType(ContentType.JSON).body(command).post("/api/jobs").then(), 403)
                .body("error", containsString("needs the role exec"));
        refused(as(TestTokens.OPERATOR).contentType(ContentType.JSON).body(pipeline).post("/api/jobs").then(), 403);
        refused(as(TestTokens.OPERATOR).contentType(ContentType.JSON).body(List.of(newJob(), command))
                .post("/api/jobs/batch").then(), 403);
        String id = as(TestTokens.EXEC).contentType(ContentType.JSON).body(command).post("/api/jobs")
                .then().statusCode(201).extract().path("id");
        as(TestTokens.EXEC).contentType(ContentType.JSON).body(pipeline).post("/api/jobs").then().statusCode(201);
        refused(as(TestTokens.OPERATOR).contentType(ContentType.JSON).body(Map.of("params", Map.of("command", "id")))
                .patch("/api/jobs/" + id).then(), 403);
        as(TestTokens.OPERATOR).post("/api/jobs/" + id + "/pause").then().statusCode(202);
        as(TestTokens.OPERATOR).delete("/api/jobs/" + id).then().statusCode(202);
        refused(as(TestTokens.EXEC).post("/api/servers/" + UUID.randomUUID() + "/drain").then(), 403);
    }

    @Test
    void anAdminPassesEveryRoleCheck() {
        String id = as(TestTokens.ADMIN).contentType(ContentType.JSON).body(newJob()).post("/api/jobs")
                .then().statusCode(201).extract().path("id");
        as(TestTokens.ADMIN).get("/api/jobs/" + id).then().statusCode(200);
        as(TestTokens.ADMIN).delete("/api/jobs/" + id).then().statusCode(202);
        // past the role check: the server is unknown (ServerDrainApiTest drains real ones with this token)
        refused(as(TestTokens.ADMIN).post("/api/servers/" + UUID.randomUUID() + "/drain").then(), 404);
    }

    @Test
    void theCallersTokenIsNamedInTheJobsHistoryByItsHashNotItself() {
        String id = as(TestTokens.OPERATOR).contentType(ContentType.JSON).body(newJob()).post("/api/jobs")
                .then().statusCode(201).extract().path("id");
        as(TestTokens.VIEWER).get("/api/jobs/" + id + "/events").then().statusCode(200)
                .body("items[0].actor", startsWith("api " + ApiTokens.name(TestTokens.OPERATOR) + " "))
                .body("items[0].actor", not(containsString(TestTokens.OPERATOR)));
    }

    @Test
    void healthIsOpen() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(anyOf(equalTo(200), equalTo(503)));
    }

    @Test
    void metricsAreOpenByDefault() {
        given().get("/q/metrics").then().statusCode(200).body(not(emptyString()));
    }

    private static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    private static ValidatableResponse refused(ValidatableResponse response, int status) {
        return response.statusCode(status).contentType(ContentType.JSON).body("error", not(emptyString()));
    }

    private static Map<String, String> newJob() {
        return Map.of("name", "auth-" + UUID.randomUUID().toString().substring(0, 8));
    }
}
