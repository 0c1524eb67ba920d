package io.orchestr.manager;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.orchestr.manager.Api.uniqueName;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The creation quotas and the body size limit, small here, on a database of the class's own (so the counts start
 * at zero): the pools' allow-list (400), active jobs per pool, pools and active jobs in all (409), and a body over
 * the limit (413). An ended job frees its place once the counts are read again.
 */
@QuarkusTest
@TestProfile(QuotasTest.SmallQuotas.class)
@WithTestResource(value = LocalServices.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class QuotasTest {

    /** Three jobs a pool, two pools, four jobs in all, three pools allowed, bodies of 64 KiB. */
    public static class SmallQuotas implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("orchestr.limits.active-jobs-per-pool", "3", "orchestr.limits.pools", "2",
                    "orchestr.limits.active-jobs", "4", "orchestr.limits.pool-allow-list", "default,gpu,paging",
                    "quarkus.http.limits.max-body-size", "64K");
        }
    }

    @Test
    void creationsPastEachQuotaAreRefusedNamingItAndAnEndedJobFreesItsPlace() {
        create("republished").statusCode(400).body("field", equalTo("pool"))
                .body("error", containsString("is not one of the pools"));
        for (int i = 0; i < 3; i++) {
            create("default").statusCode(201);
        }
        create("default").statusCode(409).body("error", containsString("orchestr.limits.active-jobs-per-pool 3"));
        String gpu = create("gpu").statusCode(201).extract().path("id");
        create("paging").statusCode(409).body("error", containsString("orchestr.limits.pools"));
        create("gpu").statusCode(409).body("error", containsString("orchestr.limits.active-jobs 4"));
        given().contentType(ContentType.JSON).body(List.of(body("gpu"), body("gpu"))).post("/api/jobs/batch")
                .then().statusCode(409);

        given().delete("/api/jobs/" + UUID.fromString(gpu)).then().statusCode(202);

        await("the cancelled job's place free once the counts are read again").atMost(FakeNode.DEADLINE)
                .until(() -> create("gpu").extract().statusCode() == 201);
    }

    @Test
    void aBodyOverTheLimitIs413() {
        Map<String, Object> big = Map.of("name", uniqueName("big"), "argument", "x".repeat(70_000));

        given().contentType(ContentType.JSON).body(big).post("/api/jobs").then().statusCode(413);
    }

    private static io.restassured.response.ValidatableResponse create(String pool) {
        return given().contentType(ContentType.JSON).body(body(pool)).post("/api/jobs").then();
    }

    private static Map<String, Object> body(String pool) {
        return Map.of("name", uniqueName("quota"), "pool", pool);
    }
}
