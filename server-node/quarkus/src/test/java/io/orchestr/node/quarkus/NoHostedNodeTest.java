package io.orchestr.node.quarkus;

import io.orchestr.node.OrchestratedServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * With {@code orchestr.node.slots=0} the application hosts no node: it starts without any handler bean and
 * without a broker (this profile names none that exists), and its health checks say there is no node.
 */
@QuarkusTest
@TestProfile(NoHostedNodeTest.NoNode.class)
class NoHostedNodeTest {
    @Inject
    Instance<OrchestratedServer> server;

    @Test
    void anApplicationWithZeroSlotsStartsWithoutHandlersOrBrokerAndHostsNoNode() {
        assertThat(server.isResolvable()).isFalse();
        given().get("/q/health/ready").then()
                .statusCode(200)
                .body("checks.find { it.name == 'orchestr-node' }.status", is("UP"))
                .body("checks.find { it.name == 'orchestr-node' }.data.hosted", is(false));
        given().get("/q/health/live").then()
                .statusCode(200)
                .body("checks.find { it.name == 'orchestr-node-engine' }.data.hosted", is(false));
    }

    public static final class NoNode implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("orchestr.node.slots", "0",
                    "orchestr.rabbitmq.port", "1",
                    "quarkus.arc.exclude-types", EchoHandler.class.getName());
        }
    }
}
