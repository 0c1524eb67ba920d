package io.orchestr.manager;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.orchestr.manager.store.JobEntity;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.topology.Topology;
import io.orchestr.shared.wire.ToManager;
import io.orchestr.shared.wire.ToNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The manager's meters as {@code /q/metrics} serves them, after jobs, snapshots, claims and a failover. */
@QuarkusTest
@WithTestResource(value = LocalServices.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class MetricsTest {
    /** The fleet gauges refresh every 5 s. */
    private static final Duration REFRESH = Duration.ofSeconds(15);
    /** Each poll sends a snapshot too: a node silent for 2 s shows as Lost in tests. */
    private static final Duration POLL = Duration.ofMillis(500);

    @Inject
    Topology topology;

    @Test
    void jobsByPoolAndStatusAndSlotsByNodeShowWhatTheDatabaseHolds() {
        String pool = Api.uniqueName("metered");
        UUID unreadable = Api.createJob(Api.uniqueName("unreadable"), pool);
        // a status this manager does not know (a newer manager's): left out, the other figures still refresh
        QuarkusTransaction.requiringNew().run(() -> JobEntity.getEntityManager()
                .createNativeQuery("UPDATE job SET status = 'Unmappable' WHERE id = ?1")
                .setParameter(1, unreadable.toString()).executeUpdate());
        try (FakeNode node = FakeNode.start(topology)) {
            node.report(3, pool);
            Api.awaitServer(node.id);
            UUID running = Api.createJob(Api.uniqueName("running"), pool);
            Api.createJob(Api.uniqueName("queued"), pool);
            Api.createJob(Api.uniqueName("queued"), pool);
            node.claimGranted(running);

            await("the fleet gauges refreshed").atMost(REFRESH).pollInterval(POLL).untilAsserted(() -> {
                node.report(3, pool); // keeps it Active: Lost nodes show no slots
                String metrics = scrape();
                assertThat(value(metrics, "orchestr_jobs{pool=\"" + pool + "\",status=\"Queued\"}")).isEqualTo(2.0);
                assertThat(value(metrics, "orchestr_jobs{pool=\"" + pool + "\",status=\"Processing\"}"))
                        .isEqualTo(1.0);
                assertThat(value(metrics, "orchestr_jobs{pool=\"" + pool + "\",status=\"Failed\"}")).isZero();
                assertThat(value(metrics, "orchestr_jobs_restarts{pool=\"" + pool + "\"}")).isZero();
                assertThat(value(metrics, "orchestr_slots{node=\"fake-" + node.id + "\",state=\"used\"}"))
                        .isEqualTo(1.0);
                assertThat(value(metrics, "orchestr_slots{node=\"fake-" + node.id + "\",state=\"free\"}"))
                        .isEqualTo(2.0);
                assertThat(value(metrics, "orchestr_servers{status=\"Active\"}")).isGreaterThanOrEqualTo(1.0);
            });
        }
    }

    @Test
    void claimDecisionsCheckpointsAndConfirmsAreCounted() {
        UUID job = Api.createJob(Api.uniqueName("claimed"));
        try (FakeNode owner = FakeNode.start(topology); FakeNode other = FakeNode.start(topology)) {
            String before = scrape();
            long epoch = owner.claimGranted(job).epoch();
            other.claim(job);
            other.received(ToNode.Wait.class, job);
            owner.send(new ToManager.Checkpoint(job, owner.id, epoch, 1, JsonNodeFactory.instance.objectNode()));
            assertThat(owner.received(ToNode.CheckpointReply.class, job).stored()).isTrue();

            String after = scrape();
            assertThat(increase(before, after, "orchestr_claims_total{decision=\"granted\"}")).isEqualTo(1.0);
            assertThat(increase(before, after, "orchestr_claims_total{decision=\"wait\"}")).isEqualTo(1.0);
            assertThat(increase(before, after, "orchestr_checkpoints_total{result=\"stored\"}")).isEqualTo(1.0);
            // creating the job published its message with confirms
            assertThat(value(after, "orchestr_broker_confirm_latency_seconds_count")).isPositive();
            assertThat(after).contains("orchestr_broker_confirm_latency_seconds_bucket{le=");
        }
    }

    @Test
    void aFailoverIsCountedAndTimedFromTheOldNodesLastSnapshot() {
        UUID job = Api.createJob(Api.uniqueName("failed-over"));
        try (FakeNode next = FakeNode.start(topology)) {
            FakeNode owner = FakeNode.start(topology);
            owner.report(1, "default");
            Api.awaitServer(owner.id);
            owner.claimGranted(job);
            String before = scrape();

            owner.close(); // its control queue goes with its connection: it is gone
            assertThat(next.claimGranted(job).epoch()).isEqualTo(2);

            String after = scrape();
            assertThat(increase(before, after, "orchestr_failovers_total")).isEqualTo(1.0);
            assertThat(increase(before, after, "orchestr_failover_seconds_count")).isEqualTo(1.0);
            assertThat(increase(before, after, "orchestr_failover_seconds_sum")).isPositive();
            assertThat(Api.status(job)).isEqualTo(JobStatus.Processing);
        }
    }

    @Test
    void aMoveIsNoFailover() {
        UUID job = Api.createJob(Api.uniqueName("handed-over"));
        try (FakeNode owner = FakeNode.start(topology); FakeNode next = FakeNode.start(topology)) {
            owner.claimGranted(job);
            String before = scrape();

            // the owner is alive and answers that it no longer holds the job, as after a release
            next.claim(job);
            long claim = next.received(ToNode.Wait.class, job).claim();
            owner.send(new ToManager.HoldAnswer(job, owner.id, next.id, false, claim));
            assertThat(next.received(ToNode.Grant.class, job).epoch()).isEqualTo(2);

            assertThat(increase(before, scrape(), "orchestr_failovers_total")).isZero();
        }
    }

    @Test
    void aResumeAfterTheOldNodeWentAwayIsNoFailover() {
        UUID job = Api.createJob(Api.uniqueName("resumed"));
        try (FakeNode next = FakeNode.start(topology)) {
            FakeNode owner = FakeNode.start(topology);
            owner.claimGranted(job);
            given().post("/api/jobs/" + job + "/pause").then().statusCode(202);
            owner.received(ToNode.Release.class, job);
            owner.released(job, 1);
            Api.awaitStatus(job, JobStatus.Paused);
            owner.close();
            String before = scrape();

            given().post("/api/jobs/" + job + "/resume").then().statusCode(202);
            assertThat(next.claimGranted(job).epoch()).isEqualTo(2);

            assertThat(increase(before, scrape(), "orchestr_failovers_total")).isZero();
        }
    }

    @Test
    void everyManagerMetricOfTheTableInTheDocsIsServed() throws IOException {
        List<String> documented = Pattern.compile("(?m)^\\| `(orchestr_[a-z_]+)` \\|.*\\| manager \\|$")
                .matcher(Files.readString(Path.of("../docs/operations.md"))).results().map(row -> row.group(1))
                .toList();
        assertThat(documented).hasSizeGreaterThan(5);
        UUID job = Api.createJob(Api.uniqueName("served"));
        try (FakeNode node = FakeNode.start(topology)) {
            node.report(1, "default");
            node.claimGranted(job);
            await("every documented metric served").atMost(REFRESH).pollInterval(POLL).untilAsserted(() -> {
                node.report(1, "default");
                String metrics = scrape();
                assertThat(documented).allSatisfy(metric -> assertThat(metrics)
                        .as("the scrape").containsPattern("(?m)^" + metric + "(_count)?[{ ]"));
            });
        }
    }

    static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of the series named exactly {@code series} (name and labels), 0 when the scrape has none yet. */
    static double value(String metrics, String series) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    private static double increase(String before, String after, String series) {
        return value(after, series) - value(before, series);
    }
}
