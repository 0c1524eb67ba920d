package io.orchestr.manager;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.orchestr.shared.topology.Topology;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static io.orchestr.manager.Api.createJob;
import static io.orchestr.manager.Api.uniqueName;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/**
 * A manager whose clock runs a minute ahead, next to another manager that applies a live node's snapshots (the
 * test plays that one: it refreshes the node's server row as a snapshot does). Liveness must be judged by one
 * clock, the database's, so the skewed manager must not see the node as silent.
 */
@QuarkusTest
@TestProfile(SkewedClockTest.ClockAhead.class)
@WithTestResource(value = LocalServices.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class SkewedClockTest {
    private static final Duration SKEW = Duration.ofMinutes(1);

    /** This manager's clock a minute ahead; the resync checks every second. */
    public static class ClockAhead implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(AheadClock.class);
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("orchestr.resync-interval", "2s");
        }
    }

    @Alternative
    @Singleton
    static class AheadClock {
        @Produces
        @Singleton
        Clock clock() {
            return Clock.offset(Clock.tick(Clock.systemUTC(), Duration.ofMillis(1)), SKEW);
        }
    }

    @Inject
    Topology topology;

    @Inject
    EntityManager em;

    private FakeNode node;
    private ScheduledExecutorService otherManager;

    @BeforeEach
    void startLiveNode() {
        node = FakeNode.start(topology);
        otherManager = Executors.newSingleThreadScheduledExecutor();
        otherManager.scheduleAtFixedRate(this::recordSnapshotOfNode, 0, 300, TimeUnit.MILLISECONDS);
    }

    @AfterEach
    void stopLiveNode() throws InterruptedException {
        otherManager.shutdownNow();
        otherManager.awaitTermination(5, TimeUnit.SECONDS);
        node.close();
    }

    @Test
    void aNodeWhoseSnapshotsAnotherManagerAppliesIsNotMarkedLost() {
        await("node " + node.id + " recorded").atMost(FakeNode.DEADLINE).until(() -> "Active".equals(serverStatus()));

        await("node " + node.id + " still Active").during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                .until(() -> "Active".equals(serverStatus()));
    }

    @Test
    void aJobRunOnALiveNodeIsNotPublishedAgain() throws Exception {
        UUID job = createJob(uniqueName("skewed"));
        String queue = topology.jobQueue("default");
        try (Connection connection = TestBroker.connect("skewed-clock-test");
             Channel channel = connection.createChannel()) {
            // the node takes the job's message and holds it while it runs the job
            await("job " + job + " on " + queue).atMost(FakeNode.DEADLINE)
                    .until(() -> channel.basicGet(queue, true), response -> response != null);
            node.claimGranted(job);

            // the resync checks every second; a job it took for unheld twice in a row would be published again
            await("no copy of job " + job + " on " + queue).during(Duration.ofSeconds(4))
                    .atMost(Duration.ofSeconds(6))
                    .until(() -> channel.messageCount(queue) == 0);
        }
    }

    private String serverStatus() {
        return given().get("/api/servers/" + node.id).then().extract().path("status");
    }

    /**
     * What another manager writes when it applies the node's snapshot: the heartbeat, by the database's clock (the
     * same as that manager's, here), and {@code Active} again.
     */
    private void recordSnapshotOfNode() {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("INSERT INTO server (id, name,"
                        + " max_workers, pools, status, created_at, modified_at, last_heartbeat_at, deleted, claiming)"
                        + " VALUES (?1, 'live', 2, 'default', 'Active', UTC_TIMESTAMP(3), UTC_TIMESTAMP(3),"
                        + " UTC_TIMESTAMP(3), FALSE, 0)"
                        + " ON DUPLICATE KEY UPDATE last_heartbeat_at = UTC_TIMESTAMP(3), status = 'Active'")
                .setParameter(1, node.id.toString())
                .executeUpdate());
    }
}
