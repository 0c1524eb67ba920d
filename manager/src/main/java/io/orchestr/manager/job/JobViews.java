package io.orchestr.manager.job;

import io.orchestr.manager.store.JobEntity;
import io.orchestr.manager.store.ServerRepository;
import io.orchestr.shared.api.JobView;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** Turns job rows into the API's {@link JobView}s, with the name of the server that runs each. */
@ApplicationScoped
class JobViews {
    private final ServerRepository servers;

    JobViews(ServerRepository servers) {
        this.servers = servers;
    }

    JobView view(JobEntity job) {
        return views(List.of(job)).getFirst();
    }

    /** Views of {@code jobs}, in order; reads the names of their servers in one query. */
    List<JobView> views(List<JobEntity> jobs) {
        Set<UUID> owners = jobs.stream().filter(JobEntity::isRunning).map(job -> job.ownerId)
                .collect(Collectors.toSet());
        Map<UUID, String> names = servers.byIds(owners).stream()
                .collect(Collectors.toMap(server -> server.id, server -> server.name));
        return jobs.stream().map(job -> view(job, names)).toList();
    }

    private static JobView view(JobEntity job, Map<UUID, String> serverNames) {
        // the owner stays on the row after the job ends; it is shown only while it runs the job
        UUID serverId = job.isRunning() ? job.ownerId : null;
        return new JobView(job.id, job.name, job.argument, job.type, job.pool, job.status, serverId,
                serverId == null ? null : serverNames.get(serverId), job.createdAt, job.modifiedAt, job.startedAt,
                job.lastHeartbeatAt, job.restarts, job.lastError, job.maxRestarts, job.heartbeatTimeout, job.timeout,
                job.params, job.result, job.progress(), job.checkpoint, job.checkpointAt);
    }
}
