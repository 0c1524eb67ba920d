/**
 * The fleet's gauges, read from the database on a schedule rather than per scrape (docs/operations.md, "Metrics").
 * The meters of events live where the events happen: claims and failovers in the claim decider, checkpoints in
 * their recorder, confirms in the broker's publisher.
 */
package io.orchestr.manager.metrics;
