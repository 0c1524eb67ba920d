package io.orchestr.manager.report;

import java.util.Optional;
import java.util.UUID;

/** The rule {@link SenderBindings} applies, apart from where the bindings are kept. */
final class SenderCheck {
    private SenderCheck() {
    }

    /**
     * Why a message about {@code node} sent by broker user {@code sender} ({@code ""}: none named) is refused when
     * {@code bound} speaks for that node; empty when it is the same user.
     */
    static Optional<String> refusal(UUID node, String bound, String sender) {
        if (bound.equals(sender)) {
            return Optional.empty();
        }
        return Optional.of("it was sent by " + name(sender) + ", but node " + node + " speaks as " + name(bound)
                + " (a forgery, or a message of another node)");
    }

    private static String name(String user) {
        return user.isEmpty() ? "no broker user (no user-id)" : "broker user '" + user + "'";
    }
}
