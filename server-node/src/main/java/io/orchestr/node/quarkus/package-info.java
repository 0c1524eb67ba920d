/**
 * Quarkus wiring that makes the node a runnable application: configuration ({@link
 * io.orchestr.node.quarkus.NodeConfig}), default beans, start and graceful close with the application, and a
 * readiness check. The engine itself knows nothing of Quarkus or CDI.
 */
package io.orchestr.node.quarkus;
