package io.orchestr.manager;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.orchestr.shared.json.WireCodec;
import io.orchestr.shared.topology.Topology;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.orchestr.manager.Api.createJob;
import static io.orchestr.manager.Api.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The resync counts a pool's exec queue apart from its job queue: a lost exec job's message is published again to
 * the exec queue, while the job queue, which lost nothing, gets no copy.
 */
@QuarkusTest
@TestProfile(ExecQueueResyncTest.QuickResync.class)
@WithTestResource(value = LocalServices.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class ExecQueueResyncTest {

    /** The resync checks every second. */
    public static class QuickResync implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("orchestr.resync-interval", "2s");
        }
    }

    @Inject
    Topology topology;

    @Test
    void aLostExecJobMessageIsPublishedAgainToTheExecQueueAndTheJobQueueGetsNoCopy() throws Exception {
        String pool = uniqueName("resync");
        UUID java = createJob(uniqueName("java"), pool);
        UUID exec = UUID.fromString(given().contentType(ContentType.JSON)
                .body("{\"name\": \"" + uniqueName("exec") + "\", \"type\": \"exec\", \"pool\": \"" + pool + "\","
                        + " \"params\": {\"command\": \"true\"}}")
                .post("/api/jobs").then().statusCode(201).extract().path("id"));
        String execQueue = topology.execQueue(pool);
        String jobQueue = topology.jobQueue(pool);
        try (Connection connection = TestBroker.connect("exec-queue-resync-test");
             Channel channel = connection.createChannel()) {
            await("job " + java + " on " + jobQueue).atMost(FakeNode.DEADLINE)
                    .until(() -> channel.messageCount(jobQueue) == 1);
            // taken and acked by nobody that runs it: the broker lost the exec job's message
            GetResponse lost = await("job " + exec + " on " + execQueue).atMost(FakeNode.DEADLINE)
                    .until(() -> channel.basicGet(execQueue, true), response -> response != null);
            assertThat(new WireCodec().decodeJob(lost.getBody()).jobId()).isEqualTo(exec);

            GetResponse again = await("job " + exec + " on " + execQueue + " again").atMost(FakeNode.DEADLINE)
                    .until(() -> channel.basicGet(execQueue, true), response -> response != null);
            assertThat(new WireCodec().decodeJob(again.getBody()).jobId()).isEqualTo(exec);
            // a few resync checks more: the job queue's message still stands for its job
            await("no copy of job " + java + " on " + jobQueue).during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(5)).until(() -> channel.messageCount(jobQueue) == 1);
        }
    }
}
