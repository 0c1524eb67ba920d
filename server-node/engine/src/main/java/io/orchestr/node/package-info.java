/**
 * The Java API of an Orchestr server node: build an {@link io.orchestr.node.OrchestratedServer} with its
 * {@link io.orchestr.node.OrchestratedServerBuilder}, give it {@link io.orchestr.node.JobHandler}s, start it.
 *
 * <p>Only this package is API. {@code io.orchestr.node.core} is the engine behind it and may change at any time.
 */
package io.orchestr.node;
