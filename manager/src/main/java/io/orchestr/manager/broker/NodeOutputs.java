package io.orchestr.manager.broker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import io.orchestr.manager.BrokerException;
import io.orchestr.manager.OutputUnavailableException;
import io.orchestr.shared.Causes;
import io.orchestr.shared.json.MalformedMessageException;
import io.orchestr.shared.json.WireCodec;
import io.orchestr.shared.topology.Topology;
import io.orchestr.shared.wire.OutputChunk;
import io.orchestr.shared.wire.ToNode;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads runs' output from the nodes that have it, through the broker: an {@link ToNode.Output} request to the
 * node's control queue with {@code reply_to} set to this manager's replies queue ({@link Topology#repliesQueue},
 * exclusive, bound to the to-manager exchange under its own name, so that nodes answer through the one exchange
 * they may write to), answered by an {@link OutputChunk}. One channel of the publishing connection carries every
 * request and consumes every answer (auto-ack), matched by correlation id. Published {@code mandatory}: a request to
 * a node whose queue is gone comes back at once. Thread-safe: publishes take the channel's lock, answers complete
 * the callers' futures on the client's dispatch thread.
 */
@ApplicationScoped
public class NodeOutputs {
    /** How long a node may take to answer; an older node dead-letters the request and never does. */
    public static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);
    private static final Logger LOG = Logger.getLogger(NodeOutputs.class);

    private final BrokerConnections connections;
    private final Topology topology;
    private final WireCodec codec;
    private final Map<String, CompletableFuture<OutputChunk>> waiting = new ConcurrentHashMap<>();
    /** Where the nodes' answers come to this manager. */
    private final String replies;
    /** Guarded by this. */
    private Channel channel;

    NodeOutputs(BrokerConnections connections, Topology topology, WireCodec codec) {
        this.replies = topology.repliesQueue(UUID.randomUUID());
        this.connections = connections;
        this.topology = topology;
        this.codec = codec;
    }

    @PreDestroy
    synchronized void stop() {
        if (channel != null && channel.isOpen()) {
            try {
                channel.abort();
            } catch (IOException e) {
                LOG.debugf("Closing the channel of output requests failed: %s", e.getMessage());
            }
        }
    }

    /**
     * Asks {@code nodeId} for bytes of a run's output and waits for its answer.
     *
     * @throws OutputUnavailableException {@code GONE} when the node's control queue is gone, {@code NO_ANSWER} when
     *                                     it did not answer within {@link #ANSWER_TIMEOUT}, {@code BROKER} when the
     *                                     broker is unreachable or blocks this manager's publishing
     */
    public OutputChunk read(UUID nodeId, ToNode.Output request) {
        connections.publishingBlocked().ifPresent(reason -> {
            throw new OutputUnavailableException(OutputUnavailableException.BROKER, "the broker blocks this manager's"
                    + " publishing (" + reason + ")");
        });
        String correlationId = UUID.randomUUID().toString();
        CompletableFuture<OutputChunk> answer = new CompletableFuture<>();
        waiting.put(correlationId, answer);
        try {
            publish(nodeId, correlationId, request);
            return answer.get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new OutputUnavailableException(OutputUnavailableException.NO_ANSWER, "node " + nodeId
                    + " did not answer a request for the output of job " + request.jobId() + " within "
                    + ANSWER_TIMEOUT.toSeconds() + " s: it may run a version older"
                    + " than output requests (it drops them), or be stuck");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof OutputUnavailableException unavailable ? unavailable
                    : new OutputUnavailableException(OutputUnavailableException.BROKER, Causes.describe(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutputUnavailableException(OutputUnavailableException.NO_ANSWER, "interrupted while waiting for"
                    + " node " + nodeId);
        } finally {
            waiting.remove(correlationId);
        }
    }

    private synchronized void publish(UUID nodeId, String correlationId, ToNode.Output request) {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .contentType(WireCodec.CONTENT_TYPE)
                .replyTo(replies)
                .correlationId(correlationId)
                .userId(connections.user())
                .build();
        try {
            channel().basicPublish("", topology.nodeQueue(nodeId), true, properties, codec.encode(request));
        } catch (IOException | ShutdownSignalException | BrokerException e) {
            throw new OutputUnavailableException(OutputUnavailableException.BROKER, "cannot ask node " + nodeId
                    + " for output: " + Causes.describe(e));
        }
    }

    /** The channel, opened (again) with its consumer of answers and its listener of returned requests. */
    private Channel channel() throws IOException {
        if (channel != null && channel.isOpen()) {
            return channel;
        }
        Channel opened = connections.publishing().createChannel();
        opened.addReturnListener(returned -> complete(returned.getProperties().getCorrelationId(),
                new OutputUnavailableException(OutputUnavailableException.GONE, "the node's queue "
                        + returned.getRoutingKey() + " is gone")));
        // declared on this channel, which stays open, so that the connection's recovery declares it again
        opened.exchangeDeclare(topology.toManagerExchange(), BuiltinExchangeType.DIRECT, true);
        opened.queueDeclare(replies, false, true, true, Map.of());
        opened.queueBind(replies, topology.toManagerExchange(), replies);
        opened.basicConsume(replies, true, (tag, delivery) -> {
            try {
                OutputChunk chunk = codec.decode(delivery.getBody(), OutputChunk.class);
                CompletableFuture<OutputChunk> answer = waiting.get(delivery.getProperties().getCorrelationId());
                if (answer != null) {
                    answer.complete(chunk);
                }
            } catch (MalformedMessageException e) {
                LOG.warnf("Ignoring an unreadable answer to an output request: %s", e.getMessage());
            }
        }, tag -> LOG.debug("The consumer of output answers was cancelled"));
        channel = opened;
        return opened;
    }

    private void complete(String correlationId, OutputUnavailableException failure) {
        CompletableFuture<OutputChunk> answer = correlationId == null ? null : waiting.get(correlationId);
        if (answer != null) {
            answer.completeExceptionally(failure);
        }
    }
}
