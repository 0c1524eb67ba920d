package io.orchestr.manager.report;

import io.orchestr.manager.LocalServices;
import io.orchestr.manager.store.Store;
import io.orchestr.shared.wire.ToManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A manager takes a message about a node incarnation only from the broker user its first snapshot came with, and
 * keeps that binding in the database, so that a manager started later holds the node to the same user.
 */
@QuarkusTest
@WithTestResource(value = LocalServices.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class SenderBindingsTest {
    @Inject
    ToManagerRouter router;
    @Inject
    Store store;

    @Test
    void aNodeLeftFromAnotherUserIsIgnoredAndOneFromTheNodesOwnUserIsTaken() {
        UUID node = UUID.randomUUID();
        router.handle(snapshot(node), "node-a");
        assertThat(status(node)).isEqualTo("Active");

        router.handle(new ToManager.NodeLeft(node), "node-b");
        router.handle(new ToManager.NodeLeft(node), null);
        assertThat(status(node)).as("after forged goodbyes").isEqualTo("Active");

        router.handle(new ToManager.NodeLeft(node), "node-a");
        assertThat(status(node)).isEqualTo("Stopped");
    }

    @Test
    void aManagerThatStartsLaterHoldsTheNodeToTheSameUser() {
        UUID node = UUID.randomUUID();
        router.handle(snapshot(node), "node-a");

        SenderBindings fresh = new SenderBindings(store);

        assertThat(fresh.refusal(new ToManager.NodeLeft(node), "node-b")).get().asString()
                .contains("speaks as broker user 'node-a'");
        assertThat(fresh.refusal(new ToManager.NodeLeft(node), "node-a")).isEmpty();
    }

    @Test
    void aNodeThatNamesNoUserIsBoundToNone() {
        UUID node = UUID.randomUUID();
        router.handle(snapshot(node), null);

        assertThat(new SenderBindings(store).refusal(new ToManager.NodeLeft(node), "node-b")).isPresent();
        assertThat(new SenderBindings(store).refusal(new ToManager.NodeLeft(node), null)).isEmpty();
    }

    private static ToManager.Snapshot snapshot(UUID node) {
        return new ToManager.Snapshot(node, "node-" + node, 1, List.of("default"), Instant.now(), List.of());
    }

    private static String status(UUID node) {
        return given().get("/api/servers/" + node).then().statusCode(200).extract().path("status");
    }
}
