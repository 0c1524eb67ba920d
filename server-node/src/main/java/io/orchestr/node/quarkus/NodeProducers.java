package io.orchestr.node.quarkus;

import io.orchestr.node.NodeListener;
import io.orchestr.node.OrchestratedServer;
import io.orchestr.node.OrchestratedServerBuilder;
import io.orchestr.node.RabbitMqOptions;
import io.orchestr.node.RestartPolicy;
import io.orchestr.node.demo.DemoHandlers;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Default beans of the Quarkus node; an application replaces any of them by producing its own. */
@Singleton
public class NodeProducers {

    @Produces
    @DefaultBean
    @Singleton
    JobHandlers jobHandlers() {
        return new JobHandlers(DemoHandlers.all());
    }

    @Produces
    @DefaultBean
    @Singleton
    NodeListener nodeListener() {
        return new NodeListener() {
        };
    }

    @Produces
    @DefaultBean
    @Singleton
    RestartPolicy restartPolicy() {
        return RestartPolicy.defaults();
    }

    @Produces
    @DefaultBean
    @Singleton
    OrchestratedServer orchestratedServer(NodeConfig config, JobHandlers handlers, NodeListener listener,
                                          RestartPolicy restartPolicy) {
        NodeConfig.Node node = config.node();
        NodeConfig.RabbitMq broker = config.rabbitmq();
        OrchestratedServerBuilder builder = OrchestratedServer.builder()
                .name(node.name().orElseGet(NodeProducers::hostName))
                .maxWorkers(node.slots())
                .pools(node.pools().toArray(String[]::new))
                .prefix(config.prefix())
                .queueType(config.queueType())
                .rabbitMq(RabbitMqOptions.of(broker.host(), broker.port(), broker.user(), broker.password())
                        .withVirtualHost(broker.vhost())
                        .withHeartbeat(broker.heartbeat()))
                .heartbeatInterval(node.heartbeatInterval())
                .fenceTimeout(node.fenceTimeout())
                .cancelGrace(node.cancelGrace())
                .fullReportPeriod(node.fullReportPeriod())
                .listener(listener)
                .restartPolicy(restartPolicy);
        handlers.byType().forEach(builder::handler);
        return builder.build();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String fromEnvironment = System.getenv("HOSTNAME");
            return fromEnvironment == null || fromEnvironment.isBlank() ? "node" : fromEnvironment;
        }
    }
}
