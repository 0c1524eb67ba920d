package io.orchestr.node.core;

import io.orchestr.node.RabbitMqOptions;

import java.util.Set;
import java.util.TreeSet;

/**
 * Which broker users a node takes messages from as the managers'. RabbitMQ refuses a publish whose {@code user-id}
 * property names another user than the publisher's connection, so the property, when present, is the sender; a
 * message without one could come from anyone and is trusted only when every sender is ({@link
 * RabbitMqOptions#ANY_SENDER}). Immutable.
 */
final class TrustedSenders {
    private final Set<String> managers;
    private final boolean any;

    TrustedSenders(Set<String> managers) {
        this.managers = Set.copyOf(managers);
        this.any = managers.contains(RabbitMqOptions.ANY_SENDER);
    }

    /** True when a message whose {@code user-id} is {@code userId} (null: none) may be a manager's. */
    boolean trusts(String userId) {
        return any || userId != null && managers.contains(userId);
    }

    /** Why a message of {@code userId} was refused, in words. */
    String refusal(String userId) {
        String managerUsers = " the managers' broker users " + new TreeSet<>(managers)
                + " (ORCHESTR_MANAGER_BROKER_USERS)";
        return userId == null ? "it names no sender (no user-id), and only messages of" + managerUsers + " are taken"
                : "its sender, broker user '" + userId + "', is not one of" + managerUsers;
    }
}
