/**
 * The node's engine, free of any framework. <strong>Not API:</strong> the types here are public only because
 * {@code io.orchestr.node} needs them, and may change at any time.
 *
 * <p>Threading model: one engine thread ({@link io.orchestr.node.core.Loop}) owns all state and does every ack,
 * nack and publish. Broker callbacks only decode and hand off to it; handlers run on virtual threads and post
 * their end back to it. Held jobs belong to one {@link io.orchestr.node.core.Incarnation}, i.e. one broker
 * connection, so delivery tags never outlive the connection they came from.
 */
package io.orchestr.node.core;
