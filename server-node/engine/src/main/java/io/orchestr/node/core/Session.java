package io.orchestr.node.core;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Address;
import com.rabbitmq.client.AddressResolver;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.SocketConfigurator;
import com.rabbitmq.client.SocketConfigurators;
import com.rabbitmq.client.impl.ForgivingExceptionHandler;
import io.orchestr.node.NodeSettings;
import io.orchestr.node.RabbitMqOptions;
import io.orchestr.node.RabbitMqTls;
import io.orchestr.shared.json.WireCodec;
import io.orchestr.shared.topology.Topology;
import io.orchestr.shared.wire.ToManager;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One broker connection of a node incarnation, with its channels: {@code control} declares the topology
 * and consumes the node's own control queue, {@code jobs} consumes every job queue and acks job messages,
 * {@code publish} sends to the managers in confirm mode, and {@code replies}, used by the output thread only,
 * answers the managers' output requests. Automatic recovery is off: when anything here dies,
 * the deliveries are gone and the node starts a new incarnation.
 *
 * <p>Threading: methods run on the engine thread only, except {@link #sever} (any thread) and {@link #reply} (the
 * output thread); the consumers ({@link
 * SessionConsumers}) run on the client's dispatch threads. Broker operations on a dead channel are skipped: {@link
 * SessionEvents#lost} says why.
 */
final class Session {
    private static final int CONTROL_PREFETCH = 100;
    private static final Duration RPC_TIMEOUT = Duration.ofSeconds(10);
    private static final int CLOSE_TIMEOUT_MILLIS = 2_000;
    /** A snapshot is superseded by the next one: one left waiting longer than this is worth nothing (R9). */
    private static final Duration MIN_SNAPSHOT_TTL = Duration.ofSeconds(2);
    /** RabbitMQ's pseudo-queue of direct replies, as older managers name it in {@code reply_to}. */
    private static final String DIRECT_REPLY_TO = "amq.rabbitmq.reply-to";

    /** How a message to the managers travels. */
    enum Delivery {
        /** Persistent: survives a broker restart (ends, leaves, and claims and answers to older managers). */
        DURABLE,
        /**
         * Persistent, on the claims queue, which managers consume on lanes of their own so that a claim never waits
         * behind a snapshot: batches of claims, and hold answers, once the managers showed they decide batches.
         */
        CLAIM,
        /**
         * Transient, and expires unread after a few heartbeat intervals: snapshots, each superseded by the next, so
         * that a manager outage leaves no backlog of stale ones for the managers to chew through afterwards.
         */
        SUPERSEDED
    }

    private final Connection connection;
    /** The connection's TCP socket, which only closing unblocks when a write hangs in a partition. */
    private final Socket socket;
    private final AMQP.BasicProperties durable;
    private final AMQP.BasicProperties superseded;
    /** The broker user of the connection, which every message carries as its {@code user-id}. */
    private final String user;
    private final Channel control;
    private final Channel jobs;
    private final Channel publish;
    /** Confined to the output thread ({@link OutputServer}); opened again there when a reply closed it. */
    private Channel replies;
    private final Topology topology;
    private final WireCodec codec;
    private final SessionConsumers consumers;
    private final List<String> jobConsumerTags = new ArrayList<>();
    /** The node's own job queue, where the managers put the jobs they move to it. */
    private final String placedQueue;

    private Session(Connection connection, Socket socket, Duration snapshotTtl, Topology topology, UUID nodeId,
                    String user, WireCodec codec, SessionConsumers consumers) throws IOException {
        this.connection = connection;
        this.socket = socket;
        // user-id: the broker refuses any other than the connection's user, so the managers can tell who sent it
        this.durable = MessageProperties.PERSISTENT_BASIC.builder().contentType(WireCodec.CONTENT_TYPE)
                .userId(user).build();
        this.superseded = MessageProperties.BASIC.builder().contentType(WireCodec.CONTENT_TYPE).userId(user)
                .expiration(Long.toString(snapshotTtl.toMillis())).build();
        this.user = user;
        this.topology = topology;
        this.placedQueue = topology.placedQueue(nodeId);
        this.codec = codec;
        this.consumers = consumers;
        this.control = consumers.watch(connection.createChannel(), "control");
        this.jobs = consumers.watch(connection.createChannel(), "jobs");
        this.publish = consumers.watch(connection.createChannel(), "publish");
    }

    /**
     * Connects as {@code orchestr-node-<name>-<nodeId>}, declares the shared topology, the job queues and the
     * node's control queue, consumes the control queue and turns on publisher confirms. Job queues are consumed
     * only by {@link #consumeJobs}.
     */
    static Session open(NodeSettings settings, UUID nodeId, WireCodec codec, SessionEvents events)
            throws IOException, TimeoutException {
        AtomicReference<Socket> socket = new AtomicReference<>();
        Connection connection;
        try {
            connection = connect(factory(settings.rabbitMq(), socket), settings.rabbitMq(),
                    "orchestr-node-" + settings.name() + "-" + nodeId);
        } catch (IOException e) {
            throw HandshakeFailures.explain(e, settings.rabbitMq());
        }
        try {
            SessionConsumers consumers = new SessionConsumers(codec, events,
                    new TrustedSenders(settings.rabbitMq().managerUsers()));
            connection.addShutdownListener(consumers.shutdown("connection"));
            connection.addBlockedListener(consumers.blocking());
            Duration snapshotTtl = settings.heartbeatInterval().multipliedBy(3);
            Session session = new Session(connection, socket.get(),
                    snapshotTtl.compareTo(MIN_SNAPSHOT_TTL) < 0 ? MIN_SNAPSHOT_TTL : snapshotTtl,
                    settings.topology(), nodeId, settings.rabbitMq().user(), codec, consumers);
            session.declareShared();
            session.declare(settings, nodeId);
            return session;
        } catch (IOException | RuntimeException e) {
            connection.abort(CLOSE_TIMEOUT_MILLIS);
            throw e;
        }
    }

    /**
     * Declares the shared topology on a channel of its own, or, when the node's broker user may not configure it
     * (least privilege: the managers declare it), checks that it exists. A refused declaration closes its channel,
     * which is why neither uses a channel the session keeps.
     */
    private void declareShared() throws IOException {
        try {
            onOwnChannel(topology::declareShared);
        } catch (IOException e) {
            if (!refused(e)) {
                throw e;
            }
            try {
                onOwnChannel(topology::checkShared);
            } catch (IOException missing) {
                throw new IOException("this node's broker user '" + user + "' may not declare the shared queues and"
                        + " exchanges, and they do not exist yet (" + describeCause(missing) + "): a manager"
                        + " declares them when it starts", missing);
            }
        }
    }

    private void onOwnChannel(Topology.Declaration declaration) throws IOException {
        Channel channel = connection.createChannel();
        try {
            declaration.on(channel);
        } finally {
            if (channel.isOpen()) {
                quietly(() -> {
                    try {
                        channel.close();
                    } catch (TimeoutException e) {
                        channel.abort();
                    }
                });
            }
        }
    }

    /** True when the broker refused an operation for the user's permissions (403 ACCESS_REFUSED). */
    private static boolean refused(IOException e) {
        return e.getCause() instanceof ShutdownSignalException signal
                && signal.getReason() instanceof AMQP.Channel.Close close
                && close.getReplyCode() == AMQP.ACCESS_REFUSED;
    }

    private static String describeCause(IOException e) {
        return e.getCause() instanceof ShutdownSignalException signal ? describe(signal) : e.toString();
    }

    private void declare(NodeSettings settings, UUID nodeId) throws IOException {
        for (String pool : settings.pools()) {
            if (settings.runsOtherTypes()) {
                topology.declareJobQueue(control, pool);
            }
            if (settings.exec()) {
                topology.declareExecQueue(control, pool);
            }
        }
        topology.declareNodeQueue(control, nodeId);
        topology.declarePlacedQueue(control, nodeId);
        control.basicQos(CONTROL_PREFETCH);
        String controlQueue = topology.nodeQueue(nodeId);
        control.basicConsume(controlQueue, false, consumers.control(controlQueue), consumers.cancelled(controlQueue));
        publish.confirmSelect();
        publish.addConfirmListener(consumers.confirms(true), consumers.confirms(false));
    }

    /**
     * Consumes the job queues ({@link NodeSettings#jobQueues}: each pool's, and its exec queue on a node that runs
     * {@code exec} jobs) on the one jobs channel, with manual acks. The prefetch is per consumer (RabbitMQ's global,
     * per-channel prefetch is deprecated and unsupported by quorum queues), so the slots are split across the
     * queues: together they never hold more than {@code slots} messages. The node's own queue is consumed too, with
     * a prefetch of {@code slots}: the managers move a job there only while the node reports a free slot, so what
     * it holds stays within its slots but for moves that race each other.
     */
    void consumeJobs(List<String> queues, int slots) throws IOException {
        Object version = connection.getServerProperties().get("version");
        Map<String, Object> arguments = ConsumerTimeout.consumerArguments(version == null ? null : version.toString());
        for (int i = 0; i < queues.size(); i++) {
            String queue = queues.get(i);
            jobs.basicQos(slots / queues.size() + (i < slots % queues.size() ? 1 : 0));
            jobConsumerTags.add(jobs.basicConsume(queue, false, "", false, false, arguments, consumers.jobs(queue),
                    consumers.cancelled(queue)));
        }
        jobs.basicQos(Math.max(1, slots));
        jobConsumerTags.add(jobs.basicConsume(placedQueue, false, "", false, false, arguments,
                consumers.jobs(placedQueue), consumers.cancelled(placedQueue)));
    }

    /** Stops the job consumers; held deliveries stay held and can still be acked or nacked. */
    void stopConsumingJobs() {
        for (String tag : jobConsumerTags) {
            quietly(() -> jobs.basicCancel(tag));
        }
        jobConsumerTags.clear(); // a drained node consumes again with new consumers
    }

    void ack(long deliveryTag) {
        quietly(() -> jobs.basicAck(deliveryTag, false));
    }

    /** Hands a job message back to its queue. */
    void requeue(long deliveryTag) {
        quietly(() -> jobs.basicNack(deliveryTag, false, true));
    }

    /** Dead-letters an unreadable job message. */
    void deadLetter(long deliveryTag) {
        quietly(() -> jobs.basicNack(deliveryTag, false, false));
    }

    void ackControl(long deliveryTag) {
        quietly(() -> control.basicAck(deliveryTag, false));
    }

    void deadLetterControl(long deliveryTag) {
        quietly(() -> control.basicNack(deliveryTag, false, false));
    }

    /** The confirm sequence number the next {@link #publish} gets. */
    long nextPublishSeqNo() {
        return publish.getNextPublishSeqNo();
    }

    /**
     * Publishes to the manager queue, or the claims queue, through the to-manager exchange. In a partition this can
     * block until the socket is {@linkplain #sever severed}.
     *
     * @return false when the channel is already gone
     */
    boolean publish(ToManager message, Delivery delivery) {
        AMQP.BasicProperties properties = delivery == Delivery.SUPERSEDED ? superseded : durable;
        String key = delivery == Delivery.CLAIM ? Topology.CLAIMS_KEY : Topology.MANAGER_KEY;
        byte[] body = codec.encode(message);
        return quietly(() -> publish.basicPublish(topology.toManagerExchange(), key, properties, body));
    }

    /**
     * Answers a manager's request, from the output thread: to the manager's replies queue through the to-manager
     * exchange, or, for a manager that asks with RabbitMQ's direct reply-to (older ones), through the default
     * exchange, which only that takes. Not confirmed: a reply that is lost makes the manager ask again or time out.
     * A reply whose channel died (its manager's channel is gone, say) is dropped, and the next one opens a channel
     * anew.
     */
    void reply(String replyTo, String correlationId, byte[] body) {
        AMQP.BasicProperties properties = MessageProperties.BASIC.builder().contentType(WireCodec.CONTENT_TYPE)
                .correlationId(correlationId).userId(user).build();
        String exchange = replyTo.startsWith(DIRECT_REPLY_TO) ? "" : topology.toManagerExchange();
        quietly(() -> {
            if (replies == null || !replies.isOpen()) {
                replies = connection.createChannel();
            }
            replies.basicPublish(exchange, replyTo, properties, body);
        });
    }

    /**
     * Opens a channel of its own for {@code lease}'s proofs ({@link LeaseProofs}); its loss ends the session, as
     * that of any other channel does.
     */
    LeaseProofs openLeaseProofs(Lease lease) throws IOException {
        return new LeaseProofs(consumers.watch(connection.createChannel(), "lease proofs"),
                topology.toManagerExchange(), user, lease);
    }

    /** The broker node this session is connected to, {@code host:port}. */
    String broker() {
        return connection.getAddress().getHostAddress() + ":" + connection.getPort();
    }

    /** The heartbeat the broker agreed to (the lower of the node's and the broker's); zero for none. */
    Duration negotiatedHeartbeat() {
        return Duration.ofSeconds(connection.getHeartbeat());
    }

    /** Waits until the broker confirmed every publish so far; false when it did not within {@code timeout}. */
    boolean awaitConfirms(Duration timeout) {
        try {
            return publish.isOpen() && publish.waitForConfirms(timeout.toMillis());
        } catch (TimeoutException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Closes the connection politely (used on a graceful close). */
    void close() {
        quietly(() -> connection.close(CLOSE_TIMEOUT_MILLIS));
    }

    /** Drops the connection without waiting for the broker (used when it is already dead or must be). */
    void abort() {
        connection.abort(CLOSE_TIMEOUT_MILLIS);
    }

    /**
     * Closes the TCP socket under the client, from any thread. A write blocked on a full send buffer (the peer
     * stopped reading) holds the client's locks, so {@link #abort} would block behind it; closing the socket makes
     * that write fail at once, and the connection then shuts down as if the network had dropped it.
     */
    void sever() {
        try {
            socket.close();
        } catch (IOException e) {
            // closed already
        }
    }

    /** Why the connection or a channel shut down, in words. */
    static String describe(ShutdownSignalException cause) {
        if (cause.isInitiatedByApplication()) {
            return "closed by the node";
        }
        String what = cause.isHardError() ? "connection" : "channel";
        if (cause.getReason() instanceof AMQP.Connection.Close close) {
            return "the broker closed the " + what + ": " + close.getReplyText();
        }
        if (cause.getReason() instanceof AMQP.Channel.Close close) {
            if (close.getReplyCode() == AMQP.PRECONDITION_FAILED
                    && close.getReplyText().contains("delivery acknowledgement")) {
                return "the broker closed the channel because a job's message stayed unacknowledged longer than"
                        + " the broker's consumer timeout (" + close.getReplyText() + "). A node holds a job's"
                        + " message for as long as the job runs: configure the broker without consumer_timeout"
                        + " (deploy/rabbitmq/advanced.config)";
            }
            return "the broker closed the " + what + ": " + close.getReplyText();
        }
        Throwable root = cause.getCause() != null ? cause.getCause() : cause;
        return "the " + what + " failed: " + root;
    }

    /**
     * Connects to one of the broker nodes, trying them in turn until one answers, in a new random order at each
     * connection: so that nodes spread over a cluster's brokers, and a reconnection does not knock at the same dead
     * one first every time. Shuffled here because amqp-client shuffles the addresses only for connections with
     * automatic recovery, which a node does not use (a new connection is a new incarnation). A single address goes
     * the way it always went (amqp-client's own resolver: every IP address of the host's name, without TLS).
     */
    private static Connection connect(ConnectionFactory factory, RabbitMqOptions options, String name)
            throws IOException, TimeoutException {
        List<Address> addresses = options.addresses().stream()
                .map(address -> new Address(address.host(), address.port())).toList();
        if (addresses.size() == 1) {
            return factory.newConnection(addresses, name);
        }
        AddressResolver shuffled = () -> {
            List<Address> order = new ArrayList<>(addresses);
            Collections.shuffle(order);
            return order;
        };
        return factory.newConnection(null, shuffled, name);
    }

    private static ConnectionFactory factory(RabbitMqOptions options, AtomicReference<Socket> socket) {
        ConnectionFactory factory = new ConnectionFactory();
        SocketConfigurator configurator = SocketConfigurators.defaultConfigurator().andThen(socket::set);
        if (options.tls().isPresent()) {
            RabbitMqTls tls = options.tls().get();
            // adds hostname verification to the socket configurator whatever the setting; the one set below
            // replaces it, so that verifyHostname decides
            factory.useSslProtocol(TlsContexts.of(tls));
            if (tls.verifyHostname()) {
                configurator = configurator.andThen(SocketConfigurators.enableHostnameVerification());
            }
        }
        factory.setSocketConfigurator(configurator);
        factory.setUsername(options.user());
        factory.setPassword(options.password());
        factory.setVirtualHost(options.virtualHost());
        factory.setRequestedHeartbeat((int) options.heartbeat().toSeconds());
        factory.setAutomaticRecoveryEnabled(false);
        factory.setTopologyRecoveryEnabled(false);
        factory.setConnectionTimeout((int) RPC_TIMEOUT.toMillis());
        factory.setChannelRpcTimeout((int) RPC_TIMEOUT.toMillis());
        // a consumer callback that threw would otherwise close its channel, and requeue every job on it
        factory.setExceptionHandler(new ForgivingExceptionHandler());
        return factory;
    }

    private interface BrokerCall {
        void run() throws IOException;
    }

    /** Runs a broker operation; false when the channel or connection is already gone. */
    private static boolean quietly(BrokerCall call) {
        try {
            call.run();
            return true;
        } catch (IOException | ShutdownSignalException e) {
            return false;
        }
    }
}
