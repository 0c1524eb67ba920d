package io.orchestr.manager.broker;

import io.orchestr.manager.BrokerException;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.MessageProperties;
import io.orchestr.shared.json.WireCodec;
import io.orchestr.shared.topology.Topology;
import io.orchestr.shared.wire.JobMessage;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Puts job messages on their pool's queue ({@link Topology#queueOf}: the exec queue for {@code exec} jobs, the job
 * queue for the others): persistent, with publisher confirms, declaring each queue the first time this manager
 * publishes to it. Thread-safe.
 */
@ApplicationScoped
public class JobPublisher {
    private final ConfirmedChannels channels;
    private final Topology topology;
    private final WireCodec codec;
    private final Set<String> declaredQueues = ConcurrentHashMap.newKeySet();

    /** The sender every job message names: only the managers' broker users are trusted by nodes. */
    private final String user;

    JobPublisher(ConfirmedChannels channels, Topology topology, WireCodec codec, BrokerConnections connections) {
        this.user = connections.user();
        this.channels = channels;
        this.topology = topology;
        this.codec = codec;
    }

    /**
     * Publishes {@code jobs} on one channel and returns once the broker has confirmed them all, after one wait:
     * from then on the jobs survive this manager. Publishing a job twice is harmless, nodes drop the extra copy.
     *
     * @throws BrokerException when the broker did not confirm them all
     */
    public void publish(List<JobMessage> jobs) {
        String what = jobs.size() == 1 ? "job " + jobs.getFirst().jobId() : jobs.size() + " jobs";
        try {
            channels.publish(what, channel -> {
                for (JobMessage job : jobs) {
                    publishOn(channel, job);
                }
            });
        } catch (UnroutableException e) {
            // which of the batch's queues is lost is not worth finding out: declaring again is harmless
            jobs.stream().map(job -> topology.queueOf(job.pool(), job.type())).distinct().forEach(this::queueMissing);
            throw e;
        }
    }

    /**
     * Puts {@code job} on the own queue of node incarnation {@code nodeId} ({@link Topology#placedQueue}), for its
     * next run to start there, and returns once the broker confirmed it.
     *
     * @throws UnroutableException when that queue does not exist: the node is gone
     * @throws BrokerException     when the broker did not confirm it
     */
    public void place(JobMessage job, UUID nodeId) {
        channels.publish("job " + job.jobId() + " for node " + nodeId,
                channel -> channel.basicPublish("", topology.placedQueue(nodeId), true, properties(job),
                        codec.encode(job)));
    }

    private void publishOn(Channel channel, JobMessage job) throws IOException {
        String queue = topology.queueOf(job.pool(), job.type());
        if (!declaredQueues.contains(queue)) {
            topology.declareQueueOf(channel, job.pool(), job.type());
            declaredQueues.add(queue);
        }
        // mandatory: a queue deleted since it was declared sends the message back instead of dropping it
        channel.basicPublish("", queue, true, properties(job), codec.encode(job));
    }

    private AMQP.BasicProperties properties(JobMessage job) {
        return new AMQP.BasicProperties.Builder()
                .contentType(WireCodec.CONTENT_TYPE)
                .userId(user)
                .deliveryMode(MessageProperties.PERSISTENT_BASIC.getDeliveryMode())
                .messageId(job.jobId().toString())
                .build();
    }

    /**
     * Declares {@code queue} (a pool's job or exec queue) again before its next publish: it was found missing, and
     * the broker drops what is published to a queue that does not exist.
     */
    public void queueMissing(String queue) {
        declaredQueues.remove(queue);
    }
}
