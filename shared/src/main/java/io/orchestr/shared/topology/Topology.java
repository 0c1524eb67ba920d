package io.orchestr.shared.topology;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import io.orchestr.shared.Names;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The names of Orchestr's queues and exchanges under one prefix, and their declarations. Every declaration is
 * idempotent and uses the same arguments wherever it runs, so the manager and the nodes may declare in any
 * order.
 *
 * @param prefix    the first part of every name, {@code orchestr} by default
 * @param queueType the kind of the durable queues
 */
public record Topology(String prefix, QueueType queueType) {
    /** The prefix used unless configured otherwise. */
    public static final String DEFAULT_PREFIX = "orchestr";
    /** The control routing key every node's queue is bound to. */
    public static final String BROADCAST_KEY = "all";
    /** The routing key of the manager queue on the {@linkplain #toManagerExchange to-manager exchange}. */
    public static final String MANAGER_KEY = "manager";
    /** The routing key of the claims queue on the {@linkplain #toManagerExchange to-manager exchange}. */
    public static final String CLAIMS_KEY = "claims";

    /**
     * The {@code x-delivery-limit} of the quorum queues: how often the broker returns a message to its queue
     * before it dead-letters it. RabbitMQ 4.x sets 20 when a queue names none, and every node death, hand-back,
     * move, drain or broker failover returns a job's message once, as a manager's retries during an outage return
     * its messages; a long-lived job would reach 20 and be dead-lettered (its run paused until the resync publishes
     * it again). Orchestr has its own limits (the crash-loop quarantine for jobs, the lanes' failed attempts for
     * the managers' messages), so the broker's is set high enough never to act. A number rather than -1, which
     * means "no limit" only on 4.x.
     */
    public static final int QUORUM_DELIVERY_LIMIT = 1_000_000;

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");

    public Topology {
        Objects.requireNonNull(queueType, "queueType");
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("invalid topology prefix '" + prefix
                    + "': use 1 to 100 letters, digits, '.', '-' or '_'");
        }
    }

    /** The default topology: prefix {@code orchestr}, classic queues. */
    public static Topology defaults() {
        return new Topology(DEFAULT_PREFIX, QueueType.CLASSIC);
    }

    /** The queue of {@code pool}'s jobs of every type but {@code exec}. */
    public String jobQueue(String pool) {
        return prefix + ".jobs." + pool;
    }

    /**
     * The queue of {@code pool}'s {@code exec} jobs ({@link Names#EXEC_TYPE}): a queue of their own, consumed only
     * by the nodes that run commands, so that a node that does not enable them never receives one.
     */
    public String execQueue(String pool) {
        return prefix + ".exec." + pool;
    }

    /** The queue a job of {@code type} in {@code pool} is published to: {@link #execQueue} or {@link #jobQueue}. */
    public String queueOf(String pool, String type) {
        return Names.EXEC_TYPE.equals(type) ? execQueue(pool) : jobQueue(pool);
    }

    public String managerQueue() {
        return prefix + ".manager";
    }

    /**
     * Where nodes that claim in batches send their claims and hold answers: managers consume it on lanes of their
     * own, so that a claim never waits behind a big snapshot.
     */
    public String claimsQueue() {
        return prefix + ".manager.claims";
    }

    public String controlExchange() {
        return prefix + ".control";
    }

    /**
     * The direct exchange nodes publish to the managers through: the manager queue under {@link #MANAGER_KEY}, the
     * claims queue under {@link #CLAIMS_KEY}, a manager's output replies under their queue's name. A named exchange,
     * not the default one, so that broker permissions can let nodes write here and nowhere else (the default
     * exchange reaches every queue).
     */
    public String toManagerExchange() {
        return prefix + ".to-manager";
    }

    /**
     * A manager's own queue of answers to its output requests, bound to the {@linkplain #toManagerExchange
     * to-manager exchange} under its name: exclusive to that manager's connection.
     */
    public String repliesQueue(UUID managerId) {
        return prefix + ".manager.replies." + managerId;
    }

    public String nodeQueue(UUID nodeId) {
        return prefix + ".node." + nodeId;
    }

    /**
     * A node incarnation's own job queue: the managers put a job there to start its next run on that node (a move);
     * the node consumes it like a pool's queue. Exclusive to the node's connection, like its control queue, so it
     * disappears with the node, and with it the placed jobs' messages, which the managers then publish again.
     */
    public String placedQueue(UUID nodeId) {
        return prefix + ".node." + nodeId + ".placed";
    }

    public static String nodeRoutingKey(UUID nodeId) {
        return "node." + nodeId;
    }

    /** Where messages that could not be read end up, with the reason in their headers. */
    public String deadLetterExchange() {
        return prefix + ".dead";
    }

    public String deadLetterQueue() {
        return prefix + ".dead";
    }

    /**
     * Declares the dead-letter exchange and queue, the manager queues, the control exchange and the to-manager
     * exchange with its bindings.
     */
    public void declareShared(Channel channel) throws IOException {
        channel.exchangeDeclare(deadLetterExchange(), BuiltinExchangeType.FANOUT, true);
        channel.queueDeclare(deadLetterQueue(), true, false, false, deadLetterQueueArguments());
        channel.queueBind(deadLetterQueue(), deadLetterExchange(), "");
        channel.queueDeclare(managerQueue(), true, false, false, durableQueueArguments());
        channel.queueDeclare(claimsQueue(), true, false, false, durableQueueArguments());
        channel.exchangeDeclare(controlExchange(), BuiltinExchangeType.TOPIC, true);
        channel.exchangeDeclare(toManagerExchange(), BuiltinExchangeType.DIRECT, true);
        channel.queueBind(managerQueue(), toManagerExchange(), MANAGER_KEY);
        channel.queueBind(claimsQueue(), toManagerExchange(), CLAIMS_KEY);
    }

    /**
     * Checks that what {@link #declareShared} declares exists, without declaring it: for a broker user that may
     * not configure the shared names (a node with least privilege), which the managers declare.
     *
     * @throws IOException when one is missing (the broker then closes the channel)
     */
    public void checkShared(Channel channel) throws IOException {
        channel.exchangeDeclarePassive(deadLetterExchange());
        channel.queueDeclarePassive(managerQueue());
        channel.queueDeclarePassive(claimsQueue());
        channel.exchangeDeclarePassive(controlExchange());
        channel.exchangeDeclarePassive(toManagerExchange());
    }

    /** Declares the job queue of {@code pool}. */
    public void declareJobQueue(Channel channel, String pool) throws IOException {
        channel.queueDeclare(jobQueue(pool), true, false, false, durableQueueArguments());
    }

    /** Declares the exec queue of {@code pool}, with the arguments of the job queues. */
    public void declareExecQueue(Channel channel, String pool) throws IOException {
        channel.queueDeclare(execQueue(pool), true, false, false, durableQueueArguments());
    }

    /** Declares {@link #queueOf} {@code pool} and {@code type}. */
    public void declareQueueOf(Channel channel, String pool, String type) throws IOException {
        channel.queueDeclare(queueOf(pool, type), true, false, false, durableQueueArguments());
    }

    /**
     * Declares a node's control queue: exclusive to the declaring connection, so it disappears when that
     * connection dies, which is how the manager learns that the node's deliveries were requeued.
     */
    public void declareNodeQueue(Channel channel, UUID nodeId) throws IOException {
        String queue = nodeQueue(nodeId);
        channel.queueDeclare(queue, false, true, true, Map.of("x-dead-letter-exchange", deadLetterExchange()));
        channel.queueBind(queue, controlExchange(), nodeRoutingKey(nodeId));
        channel.queueBind(queue, controlExchange(), BROADCAST_KEY);
    }

    /** Declares a node's own job queue ({@link #placedQueue}), exclusive to the declaring connection. */
    public void declarePlacedQueue(Channel channel, UUID nodeId) throws IOException {
        channel.queueDeclare(placedQueue(nodeId), false, true, true,
                Map.of("x-dead-letter-exchange", deadLetterExchange()));
    }

    /** Declarations on one channel, such as {@link #declareShared} or {@link #checkShared}. */
    @FunctionalInterface
    public interface Declaration {
        /** Declares (or checks) on {@code channel}. */
        void on(Channel channel) throws IOException;
    }

    /**
     * The dead-letter queue's arguments: none on classic queues; of the quorum type on quorum queues, because on a
     * broker cluster a classic queue lives on one broker node, and while that node is down every declaration of
     * the queue fails (404, "home node ... is down"), so that no node or manager could connect until it is back.
     */
    private Map<String, Object> deadLetterQueueArguments() {
        return queueType == QueueType.QUORUM
                ? Map.of("x-queue-type", "quorum", "x-queue-leader-locator", "balanced")
                : Map.of();
    }

    private Map<String, Object> durableQueueArguments() {
        Map<String, Object> arguments = new HashMap<>();
        arguments.put("x-dead-letter-exchange", deadLetterExchange());
        arguments.put("x-queue-type", queueType == QueueType.QUORUM ? "quorum" : "classic");
        if (queueType == QueueType.QUORUM) {
            arguments.put("x-delivery-limit", QUORUM_DELIVERY_LIMIT);
            // each new queue's leader on the node with the fewest leaders (RabbitMQ 3.10+; older ones ignore it),
            // rather than on the node the declaring client happens to be connected to
            arguments.put("x-queue-leader-locator", "balanced");
        }
        return Map.copyOf(arguments);
    }
}
