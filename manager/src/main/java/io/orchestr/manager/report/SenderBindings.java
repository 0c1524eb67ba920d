package io.orchestr.manager.report;

import io.orchestr.manager.store.Store;
import io.orchestr.shared.wire.ToManager;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Which broker user speaks for each node incarnation: the sender ({@code user-id}, which RabbitMQ checks against
 * the publisher's connection) of the first message the managers took about it, kept in its server row so that
 * every manager, a restarted one included, holds the incarnation to the same user. A message about the incarnation
 * from any other user, a forged {@code node-left}, {@code job-ended}, {@code claim} or {@code hold-answer} for
 * another node, is refused. A message without a {@code user-id} counts as the user {@code ""}: a node that sets
 * none (an older one) is bound to none, and then anyone may pose as it, as before. Managers and nodes that share one
 * broker user cannot be told apart: the check runs, and passes (docs/architecture.md, "Trusted senders").
 *
 * <p>Thread-safe. The bindings are remembered for the last {@value #REMEMBERED} incarnations; a binding never
 * changes, since a reconnecting node is a new incarnation.
 */
@ApplicationScoped
class SenderBindings {
    static final int REMEMBERED = 100_000;

    private final Store store;
    private final Map<UUID, String> bound = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, String> eldest) {
            return size() > REMEMBERED;
        }
    });

    SenderBindings(Store store) {
        this.store = store;
    }

    /**
     * Why {@code message}, published by {@code sender} (null: no {@code user-id}), is not taken; empty when it is.
     * Binds the incarnation to {@code sender} when nothing is bound yet and its server row exists; before its row
     * exists the message is taken unbound, and {@link #handled} binds it once the incarnation's first snapshot
     * created the row.
     */
    Optional<String> refusal(ToManager message, String sender) {
        String user = sender == null ? "" : sender;
        UUID node = message.nodeId();
        String speaker = bound.get(node);
        if (speaker == null) {
            Optional<String> stored = QuarkusTransaction.requiringNew().call(() -> store.bindBrokerUser(node, user));
            if (stored.isEmpty()) {
                return Optional.empty();
            }
            speaker = stored.get();
            bound.put(node, speaker);
        }
        return SenderCheck.refusal(node, speaker, user);
    }

    /**
     * After a message {@link #refusal} took unbound was handled: binds its incarnation to {@code sender} if the
     * message created its server row (the incarnation's first snapshot), so that nothing after it goes unchecked.
     */
    void handled(ToManager message, String sender) {
        UUID node = message.nodeId();
        if (bound.containsKey(node)) {
            return;
        }
        String user = sender == null ? "" : sender;
        QuarkusTransaction.requiringNew().call(() -> store.bindBrokerUser(node, user))
                .ifPresent(stored -> bound.put(node, stored));
    }
}
