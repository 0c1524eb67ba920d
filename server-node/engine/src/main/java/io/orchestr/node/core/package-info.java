/**
 * The node's engine, free of any framework. <strong>Not API:</strong> the types here are public only because
 * {@code io.orchestr.node} needs them, and may change at any time.
 *
 * <p>Threading model: one engine thread ({@link io.orchestr.node.core.Loop}) owns all state and does every ack,
 * nack and publish. Broker callbacks only decode and hand off to it; handlers run on virtual threads and post
 * their end back to it. Held jobs belong to one {@link io.orchestr.node.core.Incarnation}, i.e. one broker
 * connection, so delivery tags never outlive the connection they came from.
 *
 * <p>A held job is a state machine, {@link io.orchestr.node.core.HeldJob}: its phases ({@link
 * io.orchestr.node.core.JobPhase}) and transitions live there, and their side effects go through {@link
 * io.orchestr.node.core.JobEffects}, which {@link io.orchestr.node.core.HeldJobs} implements. docs/architecture.md,
 * "The node engine", has the phase table and a map from each concept to its class.
 */
package io.orchestr.node.core;
