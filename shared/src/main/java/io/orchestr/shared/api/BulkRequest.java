package io.orchestr.shared.api;

import java.util.List;
import java.util.UUID;

/**
 * The body of {@code POST /api/jobs/bulk}: one action for many jobs, chosen by exactly one of {@code group},
 * {@code parentId} or {@code ids}.
 *
 * @param action   {@code cancel}, {@code pause}, {@code resume} or {@code rerun}
 * @param group    every job of this group that is not {@code Deleted}
 * @param parentId every child of this job that is not {@code Deleted}
 * @param ids      these jobs, at most 1,000
 */
public record BulkRequest(String action, String group, UUID parentId, List<UUID> ids) {
    public BulkRequest {
        ids = ids == null ? null : List.copyOf(ids);
    }

    /** {@code action} for every job of {@code group}. */
    public static BulkRequest forGroup(String action, String group) {
        return new BulkRequest(action, group, null, null);
    }

    /** {@code action} for every child of {@code parentId}. */
    public static BulkRequest forChildrenOf(String action, UUID parentId) {
        return new BulkRequest(action, null, parentId, null);
    }

    /** {@code action} for these jobs. */
    public static BulkRequest forIds(String action, List<UUID> ids) {
        return new BulkRequest(action, null, null, ids);
    }
}
