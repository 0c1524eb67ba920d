/**
 * Job histories ({@code GET /api/jobs/{id}/events}): {@code JobHistory} records a job's events where they happen,
 * in the caller's transaction, and reads them page by page; {@code HistoryTrimmer} keeps each job to its last
 * events; {@code OverlapCheck} flags two runs of one job that overlapped on the managers' record.
 */
package io.orchestr.manager.history;
