package io.orchestr.manager.broker;

import io.orchestr.shared.wire.ToManager;

/** Handles one message from the manager queue, replies included. */
public interface InboundHandler {

    /**
     * Handles {@code message} completely: once this returns, the message is acked. Called on a consumer lane's
     * thread; messages of one lane come one at a time, in order.
     *
     * @param sender the message's {@code user-id}, which the broker checked against the publisher's connection (its
     *               broker user); null when the publisher set none
     * @throws RuntimeException when it could not (database or broker down): the message is requeued
     */
    void handle(ToManager message, String sender);
}
