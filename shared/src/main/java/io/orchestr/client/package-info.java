/**
 * The Java client of the manager's REST API: {@link io.orchestr.client.OrchestratorClient}. It uses only
 * {@code java.net.http} and Jackson.
 */
package io.orchestr.client;
