package io.orchestr.bench;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The broker floor: the fastest any design on this broker could fail over. A {@link FloorHolder} JVM holds N
 * unacked messages of a durable queue, as a node holds its jobs' messages; this class SIGKILLs it and times,
 * per message, the way from the kill to its redelivery to a second consumer waiting on the same queue.
 */
final class Floor implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(10);

    private final BenchContext bench;
    private final Path logs;
    private final String queue = "orchestr-bench-floor-" + UUID.randomUUID().toString().substring(0, 8);
    private final Connection connection;
    private final Channel channel;

    Floor(BenchContext bench, Path logs) throws IOException, TimeoutException {
        this.bench = bench;
        this.logs = logs;
        this.connection = bench.services().broker().connectionFactory().newConnection("orchestr-bench-floor");
        this.channel = connection.createChannel();
        // durable and persistent like a job queue, so that the broker does the same work on requeue
        channel.queueDeclare(queue, true, false, false, Map.of());
    }

    /** One kill: the milliseconds from the SIGKILL to the redelivery of each of {@code messages} messages. */
    List<Double> measure(int messages) throws IOException, InterruptedException, TimeoutException {
        channel.confirmSelect();
        for (int i = 0; i < messages; i++) {
            channel.basicPublish("", queue, MessageProperties.PERSISTENT_BASIC,
                    Integer.toString(i).getBytes(StandardCharsets.UTF_8));
        }
        channel.waitForConfirmsOrDie(TIMEOUT.toMillis());
        Process holder = startHolder(messages);
        try {
            Await.until("the floor holder to hold " + messages + " messages", TIMEOUT, POLL, this::heldByOne);
            Queue<Long> receipts = new ConcurrentLinkedQueue<>();
            try (Channel receiver = connection.createChannel()) {
                // auto-ack: nothing limits or slows the deliveries, as befits a floor
                receiver.basicConsume(queue, true, (tag, delivery) -> receipts.add(System.nanoTime()), tag -> { });
                long killed = System.nanoTime();
                holder.destroyForcibly();
                Await.until(messages + " redeliveries", TIMEOUT, Duration.ofMillis(1),
                        () -> receipts.size() >= messages);
                List<Double> latencies = new ArrayList<>();
                receipts.forEach(at -> latencies.add((at - killed) / 1e6));
                return latencies;
            }
        } finally {
            holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** True once nothing is ready in the queue and one consumer, the holder, has it all. */
    private boolean heldByOne() {
        try (Channel probe = connection.createChannel()) {
            AMQP.Queue.DeclareOk state = probe.queueDeclarePassive(queue);
            return state.getMessageCount() == 0 && state.getConsumerCount() == 1;
        } catch (IOException | TimeoutException e) {
            throw new BenchException("cannot probe floor queue " + queue, e);
        }
    }

    private Process startHolder(int prefetch) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                FloorHolder.class.getName(), queue, Integer.toString(prefetch))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve("floor-holder.log").toFile()));
        Services.Broker broker = bench.services().broker();
        builder.environment().put("ORCHESTR_RABBITMQ_HOST", broker.host());
        builder.environment().put("ORCHESTR_RABBITMQ_PORT", Integer.toString(broker.port()));
        builder.environment().put("ORCHESTR_RABBITMQ_USER", broker.user());
        builder.environment().put("ORCHESTR_RABBITMQ_PASSWORD", broker.password());
        return builder.start();
    }

    @Override
    public void close() throws IOException {
        try {
            channel.queueDelete(queue);
        } finally {
            connection.close();
        }
    }
}
