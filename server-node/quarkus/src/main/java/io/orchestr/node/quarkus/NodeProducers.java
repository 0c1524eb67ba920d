package io.orchestr.node.quarkus;

import io.orchestr.node.JobHandler;
import io.orchestr.node.NodeListener;
import io.orchestr.node.OrchestratedServer;
import io.orchestr.node.OrchestratedServerBuilder;
import io.orchestr.node.RabbitMqOptions;
import io.orchestr.node.RabbitMqTls;
import io.orchestr.node.RestartPolicy;
import io.orchestr.shared.topology.BrokerAddress;
import io.quarkus.arc.DefaultBean;
import io.quarkus.arc.lookup.LookupUnlessProperty;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.lang.annotation.Annotation;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the node from the configuration and the application's beans: every {@link JobHandler} bean with its
 * {@link JobType}, every {@link NodeListener} bean, and a {@link RestartPolicy} bean if the application has one.
 * An application may replace the node altogether by producing its own {@link OrchestratedServer}. With
 * {@code orchestr.node.slots=0} there is no node: no broker connection, and no handler needed.
 */
@Singleton
public class NodeProducers {

    @Produces
    @DefaultBean
    @Singleton
    RestartPolicy restartPolicy() {
        return RestartPolicy.defaults();
    }

    @Produces
    @DefaultBean
    @Singleton
    @LookupUnlessProperty(name = "orchestr.node.slots", stringValue = "0", lookupIfMissing = true)
    OrchestratedServer orchestratedServer(NodeConfig config, @Any Instance<JobHandler> handlers,
                                          @Any Instance<NodeListener> listeners, RestartPolicy restartPolicy) {
        NodeConfig.Node node = config.node();
        NodeConfig.RabbitMq broker = config.rabbitmq();
        RabbitMqOptions rabbitMq = RabbitMqOptions.of(broker.host(), broker.port(), broker.user(), broker.password());
        rabbitMq = broker.addresses().map(list -> BrokerAddress.parseList(BrokerAddress.SETTING, list))
                .map(rabbitMq::withAddresses).orElse(rabbitMq);
        rabbitMq = broker.vhost().map(rabbitMq::withVirtualHost).orElse(rabbitMq);
        rabbitMq = broker.heartbeat().map(rabbitMq::withHeartbeat).orElse(rabbitMq);
        rabbitMq = config.managerBrokerUsers().map(rabbitMq::withManagerUsers).orElse(rabbitMq);
        if (broker.tls()) {
            rabbitMq = rabbitMq.withTls(tls(broker));
        }
        OrchestratedServerBuilder builder = OrchestratedServer.builder()
                .name(node.name().orElseGet(NodeProducers::hostName))
                .rabbitMq(rabbitMq)
                .restartPolicy(restartPolicy);
        node.slots().ifPresent(builder::maxWorkers);
        node.pools().ifPresent(pools -> builder.pools(pools.toArray(String[]::new)));
        node.roles().ifPresent(builder::roles);
        config.prefix().ifPresent(builder::prefix);
        config.queueType().ifPresent(builder::queueType);
        node.heartbeatInterval().ifPresent(builder::heartbeatInterval);
        node.fenceTimeout().ifPresent(builder::fenceTimeout);
        node.cancelGrace().ifPresent(builder::cancelGrace);
        node.fullReportPeriod().ifPresent(builder::fullReportPeriod);
        node.checkpointTimeout().ifPresent(builder::checkpointTimeout);
        node.outputDir().ifPresent(builder::outputDir);
        node.managerUrl().ifPresent(builder::managerUrl);
        HandlerBeans.only(HandlerBeans.byType(found(handlers)), node.types()).forEach(builder::handler);
        listeners.forEach(builder::listener);
        return builder.build();
    }

    private static RabbitMqTls tls(NodeConfig.RabbitMq broker) {
        RabbitMqTls tls = RabbitMqTls.jvmTrustStore().withHostnameVerification(broker.tlsVerifyHostname());
        if (broker.tlsTrustStore().isPresent()) {
            tls = tls.withTrustStore(broker.tlsTrustStore().get(), broker.tlsTrustStorePassword().orElse(""));
        }
        if (broker.tlsKeyStore().isPresent()) {
            tls = tls.withKeyStore(broker.tlsKeyStore().get(), broker.tlsKeyStorePassword().orElse(""));
        }
        return tls;
    }

    private static List<HandlerBeans.Found> found(Instance<JobHandler> handlers) {
        return handlers.handlesStream()
                .map(handle -> new HandlerBeans.Found(handle.getBean().getBeanClass().getName(),
                        jobType(handle.getBean().getQualifiers()), handle.get()))
                .toList();
    }

    private static Optional<String> jobType(Set<Annotation> qualifiers) {
        return qualifiers.stream().filter(JobType.class::isInstance).map(q -> ((JobType) q).value()).findFirst();
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
