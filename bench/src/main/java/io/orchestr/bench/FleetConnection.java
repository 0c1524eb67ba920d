package io.orchestr.bench;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.ShutdownSignalException;
import io.orchestr.shared.json.MalformedMessageException;
import io.orchestr.shared.json.WireCodec;
import io.orchestr.shared.topology.Topology;
import io.orchestr.shared.wire.ToManager;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.ObjLongConsumer;

/**
 * One broker connection shared by a group of {@link SimulatedNode}s, with the channels a real node's session has:
 * {@code control} (every node's exclusive control queue, declared on this connection), {@code jobs} (one consumer
 * per node on the pool's job queue, its prefetch the node's slots) and {@code publish} (confirm mode, like a real
 * node's reports). A real node has a connection of its own; sharing one per group is what lets a thousand
 * incarnations live in one JVM, and it changes liveness: exclusive queues and unacked deliveries belong to the
 * connection, so its death takes every node of the group with it at once (the fleet does not reconnect; it counts
 * the loss).
 *
 * <p>Each connection has one thread that owns its nodes' state, as a real node's engine thread does: the broker
 * client's dispatch threads only decode and hand over.
 */
final class FleetConnection implements AutoCloseable {
    private static final int CONTROL_PREFETCH = 100;
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(30);
    /** A report is superseded by the next: expire unread after 3 intervals, at least 2 s, like a real node. */
    private static final Duration MIN_REPORT_TTL = Duration.ofSeconds(2);

    private final Topology topology;
    private final String pool;
    private final WireCodec codec;
    private final FleetCounters counters;
    private final ScheduledExecutorService engine;
    private final Connection connection;
    private final Channel control;
    private final Channel jobs;
    private final Channel publish;
    private final AMQP.BasicProperties persistent;
    private final AMQP.BasicProperties superseded;
    private final NavigableMap<Long, Boolean> unconfirmed = new ConcurrentSkipListMap<>();
    private final List<SimulatedNode> nodes = new ArrayList<>();
    private volatile boolean closing;

    FleetConnection(ConnectionFactory factory, ExecutorService dispatch, String name, Topology topology, String pool,
                    Duration reportInterval, WireCodec codec, FleetCounters counters) throws IOException {
        this.topology = topology;
        this.pool = pool;
        this.codec = codec;
        this.counters = counters;
        this.engine = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
        try {
            this.connection = factory.newConnection(dispatch, name);
        } catch (TimeoutException e) {
            throw new IOException("connecting " + name + " timed out", e);
        }
        connection.addShutdownListener(cause -> {
            if (!closing) {
                counters.connectionsLost.increment();
            }
        });
        this.control = connection.createChannel();
        this.jobs = connection.createChannel();
        this.publish = connection.createChannel();
        Duration ttl = reportInterval.multipliedBy(3);
        this.persistent = MessageProperties.PERSISTENT_BASIC.builder().contentType(WireCodec.CONTENT_TYPE).build();
        this.superseded = MessageProperties.BASIC.builder().contentType(WireCodec.CONTENT_TYPE)
                .expiration(Long.toString((ttl.compareTo(MIN_REPORT_TTL) < 0 ? MIN_REPORT_TTL : ttl).toMillis()))
                .build();
    }

    /**
     * Brings {@code group} up as a real node comes up: declares the topology and each node's control queue, consumes
     * the control queues, sends each node's first (full) report and waits for the broker's confirms, and only then
     * consumes the job queue, once per node with its slots as prefetch.
     */
    void start(List<SimulatedNode> group) throws IOException {
        nodes.addAll(group);
        onEngine(() -> {
            topology.declareShared(control);
            topology.declareJobQueue(control, pool);
            publish.confirmSelect();
            publish.addConfirmListener((tag, multiple) -> confirm(tag, multiple, counters.confirmed),
                    (tag, multiple) -> confirm(tag, multiple, counters.nacked));
            control.basicQos(CONTROL_PREFETCH);
            for (SimulatedNode node : nodes) {
                topology.declareNodeQueue(control, node.id);
                control.basicConsume(topology.nodeQueue(node.id), false, consumer(control, codec::decodeToNode,
                        (message, tag) -> {
                            node.onControl(message);
                            quietly(() -> control.basicAck(tag, false));
                        }));
                node.report();
            }
            try {
                publish.waitForConfirmsOrDie(CONFIRM_TIMEOUT.toMillis());
            } catch (InterruptedException | TimeoutException e) {
                throw new IOException("the broker did not confirm the first reports", e);
            }
            for (SimulatedNode node : nodes) {
                jobs.basicQos(node.slots);
                jobs.basicConsume(topology.jobQueue(pool), false, consumer(jobs, codec::decodeJob, node::onDelivered));
            }
        });
    }

    /** Every node reports every {@code interval}, each from a random offset so that the fleet does not beat as one. */
    void startReports(Duration interval) {
        for (SimulatedNode node : nodes) {
            long offset = (long) (Math.random() * interval.toMillis());
            engine.scheduleAtFixedRate(node::report, offset, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Acks a job message (engine thread). */
    void ack(long deliveryTag) {
        quietly(() -> jobs.basicAck(deliveryTag, false));
    }

    /** Hands a job message back to its queue (engine thread). */
    void requeue(long deliveryTag) {
        quietly(() -> jobs.basicNack(deliveryTag, false, true));
    }

    /** Publishes a claims batch or a hold answer: persistent, to the claims queue (engine thread). */
    void publishClaim(ToManager message) {
        publish(topology.claimsQueue(), persistent, message);
    }

    /** Publishes a report: transient and expiring, to the manager queue (engine thread). */
    void publishReport(ToManager.Snapshot report) {
        publish(topology.managerQueue(), superseded, report);
    }

    /** Runs {@code task} on this connection's thread after {@code delay}. */
    void schedule(Runnable task, Duration delay) {
        if (!engine.isShutdown()) {
            engine.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void publish(String queue, AMQP.BasicProperties properties, ToManager message) {
        byte[] body = codec.encode(message);
        quietly(() -> {
            unconfirmed.put(publish.getNextPublishSeqNo(), Boolean.TRUE);
            publish.basicPublish("", queue, properties, body);
        });
    }

    private void confirm(long tag, boolean multiple, LongAdder outcome) {
        NavigableMap<Long, Boolean> settled = multiple ? unconfirmed.headMap(tag, true) : unconfirmed.subMap(tag, true,
                tag, true);
        outcome.add(settled.size());
        settled.clear();
    }

    /** Decodes on the client's dispatch thread and hands over to this connection's thread. */
    private <T> DefaultConsumer consumer(Channel channel, Function<byte[], T> decode, ObjLongConsumer<T> handle) {
        return new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
                                       byte[] body) {
                long tag = envelope.getDeliveryTag();
                T message;
                try {
                    message = decode.apply(body);
                } catch (MalformedMessageException e) {
                    // as a real node does: dead-lettered, never retried
                    quietly(() -> channel.basicNack(tag, false, false));
                    return;
                }
                engine.execute(() -> handle.accept(message, tag));
            }
        };
    }

    @Override
    public void close() {
        closing = true;
        engine.shutdownNow();
        connection.abort(2_000);
    }

    private interface BrokerCall {
        void run() throws IOException;
    }

    /** Runs a broker operation on a channel that may already be gone (the loss is counted by the listener). */
    private static void quietly(BrokerCall call) {
        try {
            call.run();
        } catch (IOException | ShutdownSignalException e) {
            // the connection is gone, and with it every delivery of its nodes: counted as lost
        }
    }

    /** Runs {@code call} on this connection's thread and waits for it. */
    private void onEngine(BrokerCall call) throws IOException {
        try {
            engine.submit(() -> {
                call.run();
                return null;
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }
}
