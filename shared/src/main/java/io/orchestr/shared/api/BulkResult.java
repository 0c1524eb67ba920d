package io.orchestr.shared.api;

/**
 * What {@code POST /api/jobs/bulk} did.
 *
 * @param matched how many jobs it chose
 * @param changed how many of them the action changed; the others were done already (a pause of a paused job) or
 *                their status does not allow it (a rerun of a running job)
 */
public record BulkResult(int matched, int changed) {
}
