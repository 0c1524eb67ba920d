/**
 * The live feed behind {@code GET /api/events/stream} (docs/dashboard.md): what changed since the last tick (job
 * events, the overview, the views of the watched jobs), read once per tick for every open stream together, so that
 * the database's load does not grow with the number of browsers, and sent to each. {@code FeedCursor} keeps the place
 * in the events, {@code Subscriber} one stream.
 */
package io.orchestr.manager.feed;
