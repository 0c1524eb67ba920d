package io.orchestr.manager.auth;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code ORCHESTR_AUTH=off}: every call passes without a token, and the manager warns of it at start. */
@QuarkusTest
@TestProfile(AccessControlOffTest.Off.class)
class AccessControlOffTest {
    private static final Path LOG = Path.of("target/access-control-off.log");

    /** Access control off, and the log in a file this test reads. */
    public static class Off implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("orchestr.auth", "off", "orchestr.api.tokens-file", "",
                    "quarkus.log.file.enabled", "true", "quarkus.log.file.path", LOG.toString());
        }
    }

    @BeforeEach
    void noDefaultToken() {
        RestAssured.replaceFiltersWith(List.of());
    }

    @Test
    void withoutATokenAJobIsCreatedAndAServerDrainPassesTheRoleCheck() {
        String name = "off-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body(Map.of("name", name)).post("/api/jobs").then().statusCode(201);
        given().post("/api/servers/" + UUID.randomUUID() + "/drain").then().statusCode(404);
    }

    @Test
    void theManagerWarnsAtStartThatAccessControlIsOff() throws IOException {
        assertThat(Files.readString(LOG)).contains("WARN").contains("Access control is OFF (ORCHESTR_AUTH=off)");
    }
}
