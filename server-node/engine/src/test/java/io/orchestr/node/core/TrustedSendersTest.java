package io.orchestr.node.core;

import io.orchestr.node.RabbitMqOptions;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which senders a node takes as the managers'. */
class TrustedSendersTest {

    @Test
    void onlyTheManagersUsersAreTrusted() {
        TrustedSenders senders = new TrustedSenders(Set.of("manager-a", "manager-b"));

        assertThat(senders.trusts("manager-a")).isTrue();
        assertThat(senders.trusts("manager-b")).isTrue();
        assertThat(senders.trusts("node-1")).isFalse();
        assertThat(senders.trusts("Manager-a")).as("user names are exact").isFalse();
    }

    @Test
    void aMessageWithoutUserIdCouldBeAnyonesAndIsRefused() {
        TrustedSenders senders = new TrustedSenders(Set.of("guest"));

        assertThat(senders.trusts(null)).isFalse();
        assertThat(senders.refusal(null)).contains("names no sender").contains("[guest]")
                .contains("ORCHESTR_MANAGER_BROKER_USERS");
    }

    @Test
    void theRefusalNamesTheSenderAndTheTrustedUsers() {
        assertThat(new TrustedSenders(Set.of("m2", "m1")).refusal("rogue"))
                .isEqualTo("its sender, broker user 'rogue', is not one of the managers' broker users [m1, m2]"
                        + " (ORCHESTR_MANAGER_BROKER_USERS)");
    }

    @Test
    void anyTrustsEverySenderEvenWithoutUserId() {
        TrustedSenders senders = new TrustedSenders(Set.of(RabbitMqOptions.ANY_SENDER));

        assertThat(senders.trusts("whoever")).isTrue();
        assertThat(senders.trusts(null)).isTrue();
    }

    @Test
    void theBrokerOptionsTrustTheNodesOwnUserUnlessToldOtherwise() {
        RabbitMqOptions options = RabbitMqOptions.of("localhost", 5672, "node-7", "secret");

        assertThat(options.managerUsers()).containsExactly("node-7");
        assertThat(options.withManagerUsers(Set.of("manager")).managerUsers()).containsExactly("manager");
        assertThatThrownBy(() -> options.withManagerUsers(Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("managers' broker users");
        assertThatThrownBy(() -> options.withManagerUsers(Set.of(" ")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
