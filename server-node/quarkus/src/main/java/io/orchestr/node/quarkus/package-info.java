/**
 * The node in a Quarkus application: handlers are beans named by {@link io.orchestr.node.quarkus.JobType}, the
 * configuration is {@link io.orchestr.node.quarkus.NodeConfig}, the node starts with the application and closes
 * gracefully with it, reports its readiness and liveness to SmallRye Health and counts its events in Micrometer.
 * The engine itself knows nothing of Quarkus or CDI.
 */
package io.orchestr.node.quarkus;
