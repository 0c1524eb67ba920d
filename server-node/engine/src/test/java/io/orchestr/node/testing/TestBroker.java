package io.orchestr.node.testing;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import io.orchestr.node.RabbitMqOptions;
import io.orchestr.shared.Names;
import io.orchestr.shared.RestartMode;
import io.orchestr.shared.json.WireCodec;
import io.orchestr.shared.topology.QueueType;
import io.orchestr.shared.topology.Topology;
import io.orchestr.shared.wire.JobMessage;
import io.orchestr.shared.wire.OutputChunk;
import io.orchestr.shared.wire.ToNode;
import io.orchestr.testing.TestServices;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;

/**
 * The test's own view of the real broker under one fresh topology prefix: publishes job messages like the
 * manager's outbox does, counts and reads queues, and removes the prefix's queues and exchanges at the end.
 */
public final class TestBroker implements AutoCloseable {
    private final TestServices.Broker broker = TestServices.get().broker();
    private final Topology topology;
    private final Connection connection;
    private final WireCodec codec = new WireCodec();
    private final Set<String> queues = ConcurrentHashMap.newKeySet();

    /** A broker view under a fresh prefix named after {@code label}. */
    public TestBroker(String label) {
        this(new Topology(TestServices.get().newPrefix(label), QueueType.CLASSIC));
    }

    public TestBroker(Topology topology) {
        this.topology = topology;
        String label = topology.prefix();
        try {
            ConnectionFactory factory = new ConnectionFactory();
            factory.setUri(broker.uri());
            this.connection = factory.newConnection("orchestr-test-" + label);
            try (Channel channel = connection.createChannel()) {
                topology.declareShared(channel);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot reach the test broker at " + broker.uri(), e);
        }
        declarePool(Names.DEFAULT_POOL);
    }

    public Topology topology() {
        return topology;
    }

    public String prefix() {
        return topology.prefix();
    }

    public RabbitMqOptions options() {
        return RabbitMqOptions.of(broker.host(), broker.port(), broker.user(), broker.password());
    }

    public void declarePool(String pool) {
        declareQueueOf(pool, Names.DEFAULT_TYPE);
    }

    /** Declares the queue jobs of {@code type} in {@code pool} go to ({@link Topology#queueOf}). */
    private void declareQueueOf(String pool, String type) {
        run(channel -> topology.declareQueueOf(channel, pool, type));
        queues.add(topology.queueOf(pool, type));
    }

    /** Publishes a job of type {@code type} to the default pool and returns its message. */
    public JobMessage publishJob(String name, String type, String argument, RestartMode restart) {
        return publishJob(new JobMessage(UUID.randomUUID(), name, argument, type, Names.DEFAULT_POOL, restart, null,
                null));
    }

    public JobMessage publishJob(String name) {
        return publishJob(name, "default", "", RestartMode.ON_FAILURE);
    }

    /**
     * Publishes {@code job} (again, for duplicates) to its pool's queue (the exec queue for an {@code exec} job),
     * persistent, as the manager does.
     */
    public JobMessage publishJob(JobMessage job) {
        declareQueueOf(job.pool(), job.type());
        publishRaw(topology.queueOf(job.pool(), job.type()), codec.encode(job));
        return job;
    }

    /** Publishes {@code count} jobs named {@code <namePrefix>-<i>} to the default pool, on one channel. */
    public List<JobMessage> publishJobs(String namePrefix, int count) {
        List<JobMessage> jobs = IntStream.range(0, count).mapToObj(i -> new JobMessage(UUID.randomUUID(),
                namePrefix + "-" + i, "", "default", Names.DEFAULT_POOL, RestartMode.ON_FAILURE, null, null)).toList();
        run(channel -> {
            for (JobMessage job : jobs) {
                channel.basicPublish("", topology.jobQueue(job.pool()), asManager(MessageProperties.PERSISTENT_BASIC),
                        codec.encode(job));
            }
        });
        return jobs;
    }

    /**
     * {@code properties} naming the test broker's user as the sender, as a manager's messages do: the nodes under
     * test run with that user, and take only its messages as the managers'.
     */
    private AMQP.BasicProperties asManager(AMQP.BasicProperties properties) {
        return properties.builder().userId(broker.user()).build();
    }

    public void publishRaw(String queue, byte[] body) {
        run(channel -> channel.basicPublish("", queue, asManager(MessageProperties.PERSISTENT_BASIC), body));
    }

    /** Publishes raw bytes to the control exchange under {@code routingKey}. */
    public void publishControlRaw(String routingKey, byte[] body) {
        run(channel -> channel.basicPublish(topology.controlExchange(), routingKey, asManager(MessageProperties.BASIC),
                body));
    }

    /**
     * Asks node {@code nodeId} for a run's output as a manager does: on its control queue, with RabbitMQ's direct
     * reply-to, and waits for the answer.
     *
     * @throws AssertionError when the node does not answer within {@code timeout}
     */
    public OutputChunk askOutput(UUID nodeId, ToNode.Output request, Duration timeout) {
        CompletableFuture<OutputChunk> answer = new CompletableFuture<>();
        String correlationId = UUID.randomUUID().toString();
        run(channel -> {
            channel.basicConsume("amq.rabbitmq.reply-to", true, (tag, delivery) -> {
                if (correlationId.equals(delivery.getProperties().getCorrelationId())) {
                    answer.complete(codec.decode(delivery.getBody(), OutputChunk.class));
                }
            }, tag -> {
            });
            channel.basicPublish("", topology.nodeQueue(nodeId), new AMQP.BasicProperties.Builder()
                    .replyTo("amq.rabbitmq.reply-to").correlationId(correlationId).userId(broker.user()).build(),
                    codec.encode(request));
            try {
                answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("node " + nodeId + " did not answer " + request + " within " + timeout);
            } catch (InterruptedException | ExecutionException e) {
                throw new IllegalStateException(e);
            }
        });
        return answer.join();
    }

    /** Messages ready in {@code queue} (not counting those held unacked by consumers). */
    public long ready(String queue) {
        long[] count = new long[1];
        run(channel -> count[0] = channel.queueDeclarePassive(queue).getMessageCount());
        return count[0];
    }

    public long readyJobs() {
        return ready(topology.jobQueue(Names.DEFAULT_POOL));
    }

    /** Takes one message off {@code queue}, acked, or null when it is empty. */
    public byte[] take(String queue) {
        GetResponse[] response = new GetResponse[1];
        run(channel -> response[0] = channel.basicGet(queue, true));
        return response[0] == null ? null : response[0].getBody();
    }

    @Override
    public void close() throws IOException {
        try (Channel channel = connection.createChannel()) {
            for (String queue : queues) {
                channel.queueDelete(queue);
            }
            channel.queueDelete(topology.managerQueue());
            channel.queueDelete(topology.claimsQueue());
            channel.queueDelete(topology.deadLetterQueue());
            channel.exchangeDelete(topology.controlExchange());
            channel.exchangeDelete(topology.deadLetterExchange());
        } catch (Exception e) {
            throw new IOException("cannot clean up test prefix " + prefix(), e);
        } finally {
            connection.abort();
        }
    }

    private interface ChannelWork {
        void run(Channel channel) throws IOException;
    }

    /** Each call gets a channel of its own: a failed passive declare closes the channel it ran on. */
    private void run(ChannelWork work) {
        try (Channel channel = connection.createChannel()) {
            work.run(channel);
        } catch (Exception e) {
            throw new IllegalStateException("broker call failed under prefix " + prefix(), e);
        }
    }
}
