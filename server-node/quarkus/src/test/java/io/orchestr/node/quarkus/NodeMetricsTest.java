package io.orchestr.node.quarkus;

import io.orchestr.node.OrchestratedServer;
import io.orchestr.node.testing.TestBroker;
import io.orchestr.node.testing.TestManager;
import io.orchestr.shared.RestartMode;
import io.orchestr.shared.wire.JobMessage;
import io.orchestr.shared.wire.ToManager;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@QuarkusTestResource(value = BrokerTestResource.class, restrictToAnnotatedClass = true)
class NodeMetricsTest {
    @Inject
    OrchestratedServer server;

    @Inject
    @JobType("checkpointing")
    CheckpointingHandler handler;

    TestBroker broker;

    @Test
    void aHeldJobShowsInTheSlotsHeartbeatAgeCheckpointsAndConfirmLatency() {
        int slots = server.settings().slots();
        try (TestManager manager = new TestManager(broker.topology()).grantAll()) {
            JobMessage job = broker.publishJob("metered", "checkpointing", "x", RestartMode.NEVER);

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                String metrics = scrape();
                assertThat(value(metrics, "orchestr_node_checkpoints_total")).isEqualTo(1.0);
                assertThat(value(metrics, "orchestr_node_slots{state=\"used\"}")).isEqualTo(1.0);
                assertThat(value(metrics, "orchestr_node_slots{state=\"free\"}")).isEqualTo(slots - 1.0);
                // the handler sends no heartbeat after its start: the age grows with every snapshot
                assertThat(value(metrics, "orchestr_node_heartbeat_age_seconds")).isGreaterThan(0.5);
                assertThat(value(metrics, "orchestr_node_confirm_latency_seconds_count")).isGreaterThan(1.0);
                assertThat(metrics).contains("orchestr_node_confirm_latency_seconds_bucket{le=");
            });

            handler.finish();
            await().atMost(Duration.ofSeconds(20)).until(() -> manager.ends(job.jobId()).stream()
                    .anyMatch(end -> end.outcome() == ToManager.Outcome.COMPLETED));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String metrics = scrape();
                assertThat(value(metrics, "orchestr_node_slots{state=\"used\"}")).isZero();
                assertThat(value(metrics, "orchestr_node_slots{state=\"free\"}")).isEqualTo(slots);
                assertThat(value(metrics, "orchestr_node_heartbeat_age_seconds")).isZero();
            });
        }
    }

    @Test
    void everyNodeMetricOfTheTableInTheDocsIsServedFromTheStart() throws IOException {
        List<String> documented = Pattern.compile("(?m)^\\| `(orchestr_[a-z_]+)` \\|.*\\| node \\|$")
                .matcher(Files.readString(Path.of("../../docs/operations.md"))).results().map(row -> row.group(1))
                .toList();
        assertThat(documented).hasSizeGreaterThan(5);

        String metrics = scrape();

        assertThat(documented).allSatisfy(metric -> assertThat(metrics).as("the scrape")
                .containsPattern("(?m)^" + metric + "(_count)?[{ ]"));
    }

    private static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of the series named exactly {@code series} (name and labels) in a Prometheus scrape. */
    private static double value(String metrics, String series) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
        assertThat(matcher.find()).as("series %s in the scrape", series).isTrue();
        return Double.parseDouble(matcher.group(1));
    }
}
