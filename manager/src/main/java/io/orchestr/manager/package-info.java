/**
 * The Orchestr manager: a Quarkus service that stores jobs, publishes them, decides who runs each and serves the
 * REST API. Any number of instances may run against one database and broker.
 * <ul>
 *   <li>{@code api}: the REST resources (thin: parse, call one service, map errors).</li>
 *   <li>{@code job}: creating (outbox and republisher), cancelling and reading jobs.</li>
 *   <li>{@code claim}: the claim decision, under the job's row lock.</li>
 *   <li>{@code quarantine}: counting the node deaths a job plausibly caused, and pausing a job that crash-loops
 *       (used by {@code claim} and {@code server} where a run is found over by its node's death).</li>
 *   <li>{@code report}: what nodes send: {@code ToManagerRouter} hands each message to its handler (snapshots,
 *       job ends, departures here; claims to {@code claim}).</li>
 *   <li>{@code server}: reading servers, and marking silent ones {@code Lost}.</li>
 *   <li>{@code rebalance}: moving jobs to nodes that joined, or left a drain, until every node of a pool holds its
 *       share of the pool's jobs (through {@code job}'s moves).</li>
 *   <li>{@code broker}: connections, confirmed publishing, the control-queue probe, the manager-queue consumers.</li>
 *   <li>{@code history}: each job's history (its events, recorded in the transactions of the decisions they tell
 *       of), its trimming, and the check for runs of one job that overlap.</li>
 *   <li>{@code store}: entities, repositories, and the row locks and hand-written SQL ({@code Store}).</li>
 *   <li>{@code metrics}: the fleet gauges (jobs, slots, servers), read from the database on a schedule.</li>
 *   <li>{@code feed}: the live feed of the dashboard and the CLI's watch: the job events, the overview and the
 *       watched jobs, read once per tick for every open event stream.</li>
 *   <li>{@code config}, {@code health}: settings and the readiness check of the consumers.</li>
 *   <li>{@code startup}: the start in any order with the database and the broker (migration, then consumers).</li>
 * </ul>
 * This package itself is the base every other imports and that imports none of them: the exceptions a request or an
 * outage raises ({@code ManagerException} and its kinds, {@code BrokerException} among them), {@code Failures} (which
 * failures are outages, their one-line description), {@code OutageLog} and {@code GroupCommit}. Handlers commit before
 * any reply is sent.
 */
package io.orchestr.manager;
