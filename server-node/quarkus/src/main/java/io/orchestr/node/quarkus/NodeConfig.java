package io.orchestr.node.quarkus;

import io.orchestr.shared.topology.QueueType;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The node's configuration in a Quarkus application. A key left unset takes the default of
 * {@code OrchestratedServerBuilder} (or {@code RabbitMqOptions}), so each default has one home; only the broker's
 * address and credentials, which the builder requires, default here, to the local broker. Every key can also be
 * set by environment variable, by SmallRye Config's rule: upper case, {@code _} for {@code .} and {@code -} (e.g.
 * {@code ORCHESTR_NODE_SLOTS} for {@code orchestr.node.slots}). One mapping covers the three groups the node
 * reads: {@code orchestr.node.*}, {@code orchestr.rabbitmq.*} and the topology keys {@code orchestr.prefix} and
 * {@code orchestr.queue-type}. The keys and their defaults are listed in {@code server-node/README.md}.
 */
@ConfigMapping(prefix = "orchestr")
public interface NodeConfig {

    /** First part of every queue and exchange name; must match the manager's. */
    Optional<String> prefix();

    /** Kind of the durable queues, {@code classic} or {@code quorum} (broker clusters); must match the manager's. */
    Optional<QueueType> queueType();

    /**
     * The broker users whose job and control messages the node takes as the managers' ({@code
     * ORCHESTR_MANAGER_BROKER_USERS}, comma-separated); a message of any other sender is refused and logged.
     * Absent: the node's own {@code orchestr.rabbitmq.user}, for managers and nodes that share one user (the
     * default {@code guest}); {@code *}: every sender, unchecked.
     */
    Optional<Set<String>> managerBrokerUsers();

    Node node();

    RabbitMq rabbitmq();

    interface Node {
        /** The node's name, shown by the manager; need not be unique. Absent: the host name. */
        Optional<String> name();

        /** How many jobs the node runs at once; 0: the application hosts no node (and needs no handler). */
        OptionalInt slots();

        /** The pools whose job queues the node consumes (comma-separated in one value). */
        Optional<List<String>> pools();

        /**
         * The roles of {@code exec} work the node serves (comma-separated in one value, {@code ORCHESTR_NODE_ROLES});
         * absent: every role.
         */
        Optional<Set<String>> roles();

        /**
         * The job types the node runs and advertises (comma-separated in one value, {@code ORCHESTR_NODE_TYPES}),
         * each one its application has a handler for; absent: every type it has a handler for.
         */
        Optional<Set<String>> types();

        /** How often the node sends a snapshot of its jobs to the managers. */
        Optional<Duration> heartbeatInterval();

        /**
         * How long the node keeps running jobs with nothing confirmed by the broker before it stops them itself;
         * at least two heartbeat intervals and at most two RabbitMQ heartbeats less 600 ms.
         */
        Optional<Duration> fenceTimeout();

        /** How long a stopped handler may take to return before its thread is interrupted. */
        Optional<Duration> cancelGrace();

        /**
         * How often a snapshot lists every job the node holds; the ones in between list only the jobs with news.
         * The longest the managers' view of the node's jobs may stay wrong after a snapshot was lost.
         */
        Optional<Duration> fullReportPeriod();

        /** How long {@code JobContext.checkpoint} waits for the managers to store a checkpoint (10 s). */
        Optional<Duration> checkpointTimeout();

        /**
         * The folder of the runs' output files ({@code JobContext.output()}), one per job and epoch; {@code
         * orchestr-output} in {@code java.io.tmpdir} when absent.
         */
        Optional<Path> outputDir();

        /**
         * The manager's base URL (e.g. {@code http://manager:8080}) for {@code JobContext.jobs()}, which
         * controllers (the {@code pipeline} type) need; absent: none, and {@code jobs()} throws.
         */
        Optional<URI> managerUrl();
    }

    interface RabbitMq {
        /** Broker host. */
        @WithDefault("127.0.0.1")
        String host();

        /**
         * The nodes of a broker cluster, {@code host:port,host:port} ({@code ORCHESTR_RABBITMQ_ADDRESSES}): each
         * connection goes to any of them, tried in a new random order each time. Absent: {@link #host()} and
         * {@link #port()} alone; present, it replaces them.
         */
        Optional<String> addresses();

        /** Broker AMQP port. */
        @WithDefault("5672")
        int port();

        /** Broker user. */
        @WithDefault("guest")
        String user();

        /** Broker password. */
        @WithDefault("guest")
        String password();

        /** Broker virtual host. */
        Optional<String> vhost();

        /** AMQP connection heartbeat, whole seconds; the broker drops a silent node after about two. */
        Optional<Duration> heartbeat();

        /** Whether to connect over TLS ({@code ORCHESTR_RABBITMQ_TLS}); the port is then the broker's TLS port. */
        @WithDefault("false")
        boolean tls();

        /** PKCS12 file of the authorities that sign the broker's certificate; absent: the JVM's trust store. */
        Optional<Path> tlsTrustStore();

        /** Password of {@link #tlsTrustStore()}. */
        Optional<String> tlsTrustStorePassword();

        /** PKCS12 file of the node's own certificate and key, for a broker that asks for one (mutual TLS). */
        Optional<Path> tlsKeyStore();

        /** Password of {@link #tlsKeyStore()} and of its key. */
        Optional<String> tlsKeyStorePassword();

        /** Whether the broker's certificate must name {@link #host()}. */
        @WithDefault("true")
        boolean tlsVerifyHostname();
    }
}
