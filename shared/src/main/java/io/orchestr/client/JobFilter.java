package io.orchestr.client;

import io.orchestr.shared.JobStatus;

import java.util.UUID;

/** Which jobs {@link OrchestratorClient#jobs} lists; a null part matches every job. */
public record JobFilter(JobStatus status, String name, UUID serverId, String pool, String group, UUID parentId) {
    /** A filter of jobs in no particular group or parent. */
    public JobFilter(JobStatus status, String name, UUID serverId, String pool) {
        this(status, name, serverId, pool, null, null);
    }

    public static JobFilter all() {
        return new JobFilter(null, null, null, null);
    }

    public static JobFilter withStatus(JobStatus status) {
        return new JobFilter(status, null, null, null);
    }

    public static JobFilter withName(String name) {
        return new JobFilter(null, name, null, null);
    }

    public static JobFilter onServer(UUID serverId) {
        return new JobFilter(null, null, serverId, null);
    }

    public static JobFilter inGroup(String group) {
        return new JobFilter(null, null, null, null, group, null);
    }

    public static JobFilter childrenOf(UUID parentId) {
        return new JobFilter(null, null, null, null, null, parentId);
    }
}
