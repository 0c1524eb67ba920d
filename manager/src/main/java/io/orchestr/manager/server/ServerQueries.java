package io.orchestr.manager.server;

import io.orchestr.manager.UnknownIdException;
import io.orchestr.manager.store.JobEntity;
import io.orchestr.manager.store.JobRepository;
import io.orchestr.manager.store.ServerEntity;
import io.orchestr.manager.store.ServerRepository;
import io.orchestr.shared.NodeStatus;
import io.orchestr.shared.api.JobRef;
import io.orchestr.shared.api.Overview;
import io.orchestr.shared.api.Page;
import io.orchestr.shared.api.ServerView;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** Reads servers for the REST API, each with the jobs it runs now. */
@ApplicationScoped
public class ServerQueries {
    private final ServerRepository servers;
    private final JobRepository jobs;

    ServerQueries(ServerRepository servers, JobRepository jobs) {
        this.servers = servers;
        this.jobs = jobs;
    }

    /** @throws UnknownIdException when no server has this id */
    @Transactional
    public ServerView server(UUID serverId) {
        ServerEntity server = servers.findByIdOptional(serverId)
                .orElseThrow(() -> new UnknownIdException("server", serverId.toString()));
        return views(List.of(server)).getFirst();
    }

    /** One page of the servers with this status (all for null), newest first. */
    @Transactional
    public Page<ServerView> servers(NodeStatus status, int page, int size) {
        PanacheQuery<ServerEntity> query = servers.search(status);
        return new Page<>(views(query.page(page, size).list()), page, size, query.count());
    }

    /** The slots of the incarnations that have not left cleanly, newest first, at most {@code limit}. */
    @Transactional
    public List<Overview.ServerSlots> slots(int limit) {
        List<ServerEntity> present = servers.present().page(0, limit).list();
        Map<UUID, Long> held = jobs.heldBy(present.stream().map(server -> server.id).toList());
        return present.stream().map(server -> new Overview.ServerSlots(server.id, server.name, server.status,
                server.poolList(), server.maxWorkers, held.getOrDefault(server.id, 0L), server.lastHeartbeatAt))
                .toList();
    }

    private List<ServerView> views(List<ServerEntity> page) {
        Map<UUID, List<JobRef>> running = jobs.runBy(page.stream().map(server -> server.id).toList()).stream()
                .collect(Collectors.groupingBy(job -> job.ownerId,
                        Collectors.mapping(ServerQueries::ref, Collectors.toList())));
        return page.stream().map(server -> new ServerView(server.id, server.name, server.maxWorkers,
                server.poolList(), server.status, server.createdAt, server.modifiedAt, server.lastHeartbeatAt,
                running.getOrDefault(server.id, List.of()), server.deleted, server.exec,
                server.roleList(), server.typeList())).toList();
    }

    private static JobRef ref(JobEntity job) {
        return new JobRef(job.id, job.name, job.status, job.pool);
    }
}
