package io.orchestr.node;

import io.orchestr.client.OrchestratorClient;
import io.orchestr.shared.Names;
import io.orchestr.shared.topology.Topology;

import static io.orchestr.node.core.Durations.brief;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The effective settings of one node, as {@link OrchestratedServerBuilder} checked them. Immutable.
 *
 * @param name              the node's name, need not be unique
 * @param slots             how many jobs the node holds at once (the broker's prefetch)
 * @param pools             the pools whose job queues the node consumes
 * @param rabbitMq          the broker
 * @param topology          queue and exchange names (prefix) and queue type
 * @param handlers          handler per job type
 * @param roles             the roles of {@code exec} work the node serves; empty for every role
 * @param listeners         hear node events, in this order
 * @param clock             the time used for snapshots, heartbeats and the fence
 * @param heartbeatInterval how often the node sends a snapshot
 * @param fenceTimeout      how long the node runs jobs without a confirmed round trip to the broker
 * @param cancelGrace       how long a stopped handler may take to return before its thread is interrupted
 * @param fullReportPeriod  how often a snapshot lists every held job, not only those with news
 * @param restartPolicy     what happens when a handler ends
 * @param checkpointTimeout how long {@link JobContext#checkpoint} waits for the managers to store a checkpoint
 * @param outputDir         the folder of the runs' output files ({@link JobContext#output()})
 * @param outputRunsKept    how many runs' output files the node keeps at most
 * @param outputBytesKept   how many bytes of the ended runs' output files the node keeps at most
 * @param manager           the client of the manager that {@link JobContext#jobs()} gives handlers; null when the
 *                          node has no manager URL
 */
public record NodeSettings(String name, int slots, List<String> pools, RabbitMqOptions rabbitMq, Topology topology,
                           Map<String, JobHandler> handlers, Set<String> roles, List<NodeListener> listeners,
                           Clock clock, Duration heartbeatInterval, Duration fenceTimeout, Duration cancelGrace,
                           Duration fullReportPeriod, RestartPolicy restartPolicy, Duration checkpointTimeout,
                           Path outputDir, int outputRunsKept, long outputBytesKept, OrchestratorClient manager) {
    public NodeSettings {
        pools = List.copyOf(pools);
        handlers = Map.copyOf(handlers);
        roles = Set.copyOf(roles);
        listeners = List.copyOf(listeners);
    }

    /** Whether the node runs {@code exec} jobs: it has their handler, so it consumes its pools' exec queues. */
    public boolean exec() {
        return handlers.containsKey(Names.EXEC_TYPE);
    }

    /** Whether the node has a handler of a type other than {@code exec}, so it consumes its pools' job queues. */
    public boolean runsOtherTypes() {
        return handlers.size() > (exec() ? 1 : 0);
    }

    /**
     * The job queues the node consumes, in order: per pool its job queue when it runs other types than
     * {@code exec}, then its exec queue when it runs {@code exec}.
     */
    public List<String> jobQueues() {
        List<String> queues = new ArrayList<>();
        for (String pool : pools) {
            if (runsOtherTypes()) {
                queues.add(topology.jobQueue(pool));
            }
            if (exec()) {
                queues.add(topology.execQueue(pool));
            }
        }
        return List.copyOf(queues);
    }

    /** One line for the log: every setting, the password left out. */
    public String describe() {
        return "node '" + name + "': " + slots + " slots, pools " + pools + ", broker " + rabbitMq + ", prefix "
                + topology.prefix() + " (" + topology.queueType().name().toLowerCase() + " queues), handler types "
                + new TreeMap<>(handlers).keySet() + (exec() ? ", exec roles " + (roles.isEmpty() ? "all"
                : new TreeSet<>(roles)) : "") + ", snapshot every " + brief(heartbeatInterval) + ", fence after "
                + brief(fenceTimeout) + ", cancel grace " + brief(cancelGrace) + ", full snapshot every "
                + brief(fullReportPeriod) + ", checkpoint timeout " + brief(checkpointTimeout) + ", output in "
                + outputDir + " (the last " + outputRunsKept + " runs, " + outputBytesKept / 1024 / 1024
                + " MiB at most), manager " + (manager == null ? "none (no manager URL)" : manager)
                + ", restart policy: " + restartPolicy;
    }
}
