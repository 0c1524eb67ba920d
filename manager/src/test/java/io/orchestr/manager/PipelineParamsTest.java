package io.orchestr.manager;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import static io.orchestr.manager.Api.uniqueName;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** The params of a {@code pipeline} job are checked when it is created, each fault named by its path. */
@QuarkusTest
@WithTestResource(value = LocalServices.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class PipelineParamsTest {

    @Test
    void aValidPipelineIsCreated() {
        post(Map.of("stages", List.of(List.of(Map.of("type", "build"), Map.of("name", uniqueName("own"))),
                List.of(Map.of("type", "test", "timeout", "PT1M"))), "failFast", false))
                .statusCode(201).body("type", equalTo("pipeline")).body("params.failFast", equalTo(false));
    }

    @Test
    void stagesMustBeANonEmptyListOfNonEmptyListsOfJobBodies() {
        refused(Map.of(), "params.stages");
        refused(Map.of("stages", List.of()), "params.stages");
        refused(Map.of("stages", "build"), "params.stages");
        refused(Map.of("stages", List.of(List.of(Map.of()), List.of())), "params.stages[1]");
        refused(Map.of("stages", List.of(List.of("build"))), "params.stages[0][0]");
        refused(Map.of("stages", List.of(Collections.nCopies(600, Map.of()), Collections.nCopies(401, Map.of()))),
                "params.stages");
        given().contentType(ContentType.JSON).body(Map.of("name", uniqueName("p"), "type", "pipeline"))
                .post("/api/jobs").then().statusCode(400).body("field", equalTo("params"));
    }

    @Test
    void aChildBodyIsCheckedAsTheJobItBecomesAndUnknownKeysAreRefused() {
        refused(Map.of("stages", List.of(List.of(Map.of()), List.of(Map.of("name", " ")))),
                "params.stages[1][0].name");
        refused(Map.of("stages", List.of(List.of(Map.of("maxRestarts", "x")))), "params.stages[0][0].maxRestarts");
        refused(Map.of("stages", List.of(List.of(Map.of("timeout", "PT0S")))), "params.stages[0][0].timeout");
        refused(Map.of("stages", List.of(List.of(Map.of("colour", "red")))), "params.stages[0][0].colour");
        refused(Map.of("stages", List.of(List.of(Map.of("group", "g")))), "params.stages[0][0].group");
        refused(Map.of("stages", List.of(List.of(Map.of())), "retries", 3), "params.retries");
        refused(Map.of("stages", List.of(List.of(Map.of())), "failFast", "yes"), "params.failFast");
        // a derived child name longer than 200 characters
        given().contentType(ContentType.JSON).body(Map.of("name", "p".repeat(198), "type", "pipeline", "params",
                        Map.of("stages", List.of(List.of(Map.of())))))
                .post("/api/jobs").then().statusCode(400).body("field", equalTo("params.stages[0][0].name"));
    }

    @Test
    void pipelinesNestTenDeepAndNoDeeper() {
        post(nested(10)).statusCode(201);

        ValidatableResponse tooDeep = post(nested(11)).statusCode(400);
        tooDeep.body("field", equalTo("params" + ".stages[0][0].params".repeat(9) + ".stages[0][0].type"))
                .body("error", containsString("at most 10 deep"));
    }

    @Test
    void aBatchNamesTheElementWhosePipelineIsInvalid() {
        given().contentType(ContentType.JSON).body(List.of(Map.of("name", uniqueName("fine")),
                        Map.of("name", uniqueName("p"), "type", "pipeline", "params", Map.of("stages", List.of()))))
                .post("/api/jobs/batch").then().statusCode(400).body("index", equalTo(1))
                .body("field", equalTo("params.stages"));
    }

    @Test
    void anEditOfAWaitingPipelinesParamsIsCheckedAsItsCreationWas() {
        String id = given().contentType(ContentType.JSON).body(Map.of("name", uniqueName("waiting"), "type",
                        "pipeline", "pool", "nobody-serves-this", "params",
                        Map.of("stages", List.of(List.of(Map.of())))))
                .post("/api/jobs").then().statusCode(201).extract().path("id");

        given().contentType("application/merge-patch+json").body(Map.of("params", Map.of("stages", List.of())))
                .patch("/api/jobs/" + id).then().statusCode(400).body("field", equalTo("params.stages"));
        given().contentType("application/merge-patch+json").body(Map.of("params", Map.of("failFast", false)))
                .patch("/api/jobs/" + id).then().statusCode(200).body("params.failFast", equalTo(false));
    }

    /** The params of a pipeline nested {@code depth} deep, the outermost counting as 1. */
    private static Map<String, Object> nested(int depth) {
        Map<String, Object> params = Map.of("stages", List.of(List.of(Map.of("type", "leaf"))));
        for (int level = 1; level < depth; level++) {
            params = Map.of("stages", List.of(List.of(Map.of("type", "pipeline", "params", params))));
        }
        return params;
    }

    private static ValidatableResponse post(Map<String, Object> params) {
        return given().contentType(ContentType.JSON).body(Map.of("name", uniqueName("pipeline"), "type", "pipeline",
                "params", params)).post("/api/jobs").then();
    }

    private static void refused(Map<String, Object> params, String field) {
        post(params).statusCode(400).body("field", equalTo(field));
    }
}
