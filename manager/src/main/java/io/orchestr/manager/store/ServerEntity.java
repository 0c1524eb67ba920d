package io.orchestr.manager.store;

import io.orchestr.shared.NodeStatus;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** One node incarnation, as stored in the {@code server} table. Written by {@link Store}; read here. */
@Entity
@Table(name = "server")
public class ServerEntity extends PanacheEntityBase {

    @Id
    @JdbcTypeCode(SqlTypes.CHAR)
    @Column(length = 36)
    public UUID id;

    public String name;

    @Column(name = "max_workers")
    public int maxWorkers;

    /** Comma-separated pool names. */
    public String pools;

    @Enumerated(EnumType.STRING)
    public NodeStatus status;

    @Convert(converter = UtcDatetime.class)
    @Column(name = "created_at")
    public Instant createdAt;

    @Convert(converter = UtcDatetime.class)
    @Column(name = "modified_at")
    public Instant modifiedAt;

    @Convert(converter = UtcDatetime.class)
    @Column(name = "last_heartbeat_at")
    public Instant lastHeartbeatAt;

    public boolean deleted;

    /** True while the node is asked to drain (V9). */
    public boolean drain;

    /** The sequence number of the last drain ask, the managers' or the node's own. */
    @Column(name = "drain_seq")
    public long drainSeq;

    /** The node's drain state ({@code ToManager.DrainState}) in its last snapshot; null for older nodes. */
    @Column(name = "drain_reported")
    public String drainReported;

    /** True when the node runs {@code exec} jobs (V13). */
    public boolean exec;

    /** Comma-separated roles of {@code exec} work the node serves; empty for every role (V13). */
    public String roles;

    /** The job types the node has handlers for, a JSON array; null for nodes that predate them (V16). */
    @Column(name = "job_types")
    public String jobTypes;

    public List<String> poolList() {
        return split(pools);
    }

    public List<String> roleList() {
        return split(roles);
    }

    /** The job types the node runs, sorted; null when it predates types. */
    public List<String> typeList() {
        Set<String> types = JobTypeList.of(jobTypes);
        return types == null ? null : types.stream().sorted().toList();
    }

    private static List<String> split(String list) {
        return list == null || list.isEmpty() ? List.of() : Arrays.asList(list.split(","));
    }
}
