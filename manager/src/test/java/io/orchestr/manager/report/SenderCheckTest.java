package io.orchestr.manager.report;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The rule by which a manager takes a message about a node incarnation only from the user bound to it. */
class SenderCheckTest {
    private static final UUID NODE = UUID.fromString("00000000-0000-0000-0000-000000000001");

    @Test
    void theBoundUserSpeaksForItsNode() {
        assertThat(SenderCheck.refusal(NODE, "node-1", "node-1")).isEmpty();
        assertThat(SenderCheck.refusal(NODE, "", "")).as("a node that names no user, and its messages").isEmpty();
    }

    @Test
    void anotherUserIsRefusedWithBothNamed() {
        assertThat(SenderCheck.refusal(NODE, "node-1", "node-2")).hasValue("it was sent by broker user 'node-2', but"
                + " node " + NODE + " speaks as broker user 'node-1' (a forgery, or a message of another node)");
    }

    @Test
    void aMessageWithoutUserIdCannotSpeakForANodeBoundToAUser() {
        assertThat(SenderCheck.refusal(NODE, "node-1", "")).get().asString()
                .contains("sent by no broker user (no user-id)");
    }

    @Test
    void aUserCannotSpeakForANodeBoundToNone() {
        assertThat(SenderCheck.refusal(NODE, "", "node-2")).get().asString()
                .contains("speaks as no broker user (no user-id)");
    }
}
