package io.orchestr.manager.broker;

import com.rabbitmq.client.AMQP;
import io.orchestr.shared.json.WireCodec;
import io.orchestr.shared.topology.Topology;
import io.orchestr.shared.wire.JobMessage;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Puts job messages on their pool's queue: persistent, with publisher confirms, declaring each pool's queue
 * the first time this manager publishes to it. Thread-safe.
 */
@ApplicationScoped
public class JobPublisher {
    private static final int PERSISTENT = 2;

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
     * Publishes {@code job} and returns once the broker has confirmed it: from then on the job survives this
     * manager. Publishing a job twice is harmless, nodes drop the extra copy.
     *
     * @throws BrokerException when the broker did not confirm it
     */
    public void publish(JobMessage job) {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .contentType(WireCodec.CONTENT_TYPE)
                .deliveryMode(PERSISTENT)
                .messageId(job.jobId().toString())
                .build();
        try {
            channels.publish("job " + job.jobId(), channel -> {
                if (!declaredPools.contains(job.pool())) {
                    topology.declareJobQueue(channel, job.pool());
                    declaredPools.add(job.pool());
                }
                // mandatory: a queue deleted since it was declared sends the message back instead of dropping it
                channel.basicPublish("", topology.jobQueue(job.pool()), true, properties, codec.encode(job));
            });
        } catch (UnroutableException e) {
            queueMissing(job.pool());
            throw e;
        }
    }

    /**
     * Declares the pool's queue again before its next publish: it was found missing, and the broker drops what
     * is published to a queue that does not exist.
     */
    public void queueMissing(String pool) {
        declaredPools.remove(pool);
    }
}
