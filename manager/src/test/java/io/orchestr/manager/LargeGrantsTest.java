package io.orchestr.manager;

import io.orchestr.shared.topology.Topology;
import io.orchestr.shared.wire.ToNode;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.orchestr.manager.Api.createJob;
import static io.orchestr.manager.Api.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Grants that carry big payloads (edited specs, checkpoints) never make one decisions message too big. */
@QuarkusTest
@WithTestResource(value = LocalServices.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class LargeGrantsTest {
    @Inject
    Topology topology;

    @Test
    void grantsBeyondTheDecisionsPayloadGoAsMessagesOfTheirOwn() {
        String argument = "x".repeat(900_000);
        List<UUID> jobs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            UUID job = createJob(uniqueName("big"));
            given().contentType(ContentType.JSON).body(Map.of("argument", argument + i))
                    .patch("/api/jobs/" + job).then().statusCode(200);
            jobs.add(job);
        }
        try (FakeNode node = FakeNode.start(topology)) {
            node.claimBatch(1, jobs);

            ToNode.Decisions decisions = node.decisions(1);
            assertThat(decisions.grants().size()).as("grants the decisions message carries").isBetween(1, 4);
            List<UUID> granted = new ArrayList<>(decisions.grants().stream().map(ToNode.Grant::jobId).toList());
            jobs.stream().filter(job -> !granted.contains(job))
                    .forEach(job -> granted.add(node.received(ToNode.Grant.class, job).jobId()));
            assertThat(granted).containsExactlyInAnyOrderElementsOf(jobs);
            assertThat(decisions.grants()).allMatch(grant -> grant.spec() != null
                    && grant.spec().argument().startsWith("xxx"));
        }
    }
}
