package io.orchestr.manager;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

/** Requests per client: a burst passes, the next is a 429 with {@code Retry-After}; health is never limited. */
@QuarkusTest
@TestProfile(RequestRateTest.SlowClients.class)
@WithTestResource(value = LocalServices.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class RequestRateTest {

    /** One request a second, in bursts of five. */
    public static class SlowClients implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("orchestr.limits.requests-per-second", "1", "orchestr.limits.request-burst", "5");
        }
    }

    @Test
    void aClientPastItsBurstGetsA429WithRetryAfterAndPassesAgainLater() {
        await("the bucket full").atMost(Duration.ofSeconds(10)).until(() -> {
            // a full bucket passes five in a row; earlier requests of this JVM may have taken some
            for (int i = 0; i < 5; i++) {
                if (given().get("/api/servers").statusCode() != 200) {
                    return false;
                }
            }
            return true;
        });

        Response refused = given().get("/api/servers");

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 2L);
        refused.then().body("error", containsString("orchestr.limits.requests-per-second"));
        given().get("/q/health/live").then().statusCode(200);
        await("a token back").atMost(Duration.ofSeconds(5)).until(() -> given().get("/api/servers").statusCode()
                == 200);
    }
}
