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
 * Puts job messages on their pool's queue: persistent, with publisher confirms, declaring each pool's queue
 * the first time this manager publishes to it. Thread-safe.
 */
@ApplicationScoped
public class JobPublisher {
    private final ConfirmedChannels channels;
    private final Topology topology;
    private final WireCodec codec;
    private final Set<String> declaredPools = ConcurrentHashMap.newKeySet();

    JobPublisher(ConfirmedChannels channels, Topology topology, WireCodec codec) {
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
            // which of the batch's pools lost its queue is not worth finding out: declaring again is harmless
            jobs.stream().map(JobMessage::pool).distinct().forEach(this::queueMissing);
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
        if (!declaredPools.contains(job.pool())) {
            topology.declareJobQueue(channel, job.pool());
            declaredPools.add(job.pool());
        }
        // mandatory: a queue deleted since it was declared sends the message back instead of dropping it
        channel.basicPublish("", topology.jobQueue(job.pool()), true, properties(job), codec.encode(job));
    }

    private static AMQP.BasicProperties properties(JobMessage job) {
        return new AMQP.BasicProperties.Builder()
                .contentType(WireCodec.CONTENT_TYPE)
                .deliveryMode(MessageProperties.PERSISTENT_BASIC.getDeliveryMode())
                .messageId(job.jobId().toString())
                .build();
    }

    /**
     * Declares the pool's queue again before its next publish: it was found missing, and the broker drops what
     * is published to a queue that does not exist.
     */
    public void queueMissing(String pool) {
        declaredPools.remove(pool);
    }
}
