/**
 * The Orchestr manager: a Quarkus service that stores jobs, publishes them, decides who runs each and serves the
 * REST API. Any number of instances may run against one database and broker.
 * <ul>
 *   <li>{@code api}: the REST resources (thin: parse, call one service, map errors).</li>
 *   <li>{@code job}: creating (outbox and republisher), cancelling and reading jobs.</li>
 *   <li>{@code claim}: the claim decision, under the job's row lock.</li>
 *   <li>{@code snapshot}: what nodes report: snapshots, job ends, departures.</li>
 *   <li>{@code server}: reading servers, and marking silent ones {@code Lost}.</li>
 *   <li>{@code broker}: connections, confirmed publishing, the control-queue probe, the manager-queue consumers.</li>
 *   <li>{@code store}: entities, repositories, and the row locks and hand-written SQL ({@code Store}).</li>
 *   <li>{@code config}, {@code health}: settings and the readiness check of the consumers.</li>
 * </ul>
 * Messages from nodes reach their handler through {@code ToManagerRouter}; handlers commit before any reply is sent.
 */
package io.orchestr.manager;
