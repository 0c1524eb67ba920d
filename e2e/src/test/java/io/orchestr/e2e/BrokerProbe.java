package io.orchestr.e2e;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.orchestr.shared.json.WireCodec;
import io.orchestr.shared.topology.QueueType;
import io.orchestr.shared.topology.Topology;
import io.orchestr.testing.TestServices;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

/** Looks into a cluster's queues from the outside, over a connection of its own. */
final class BrokerProbe implements AutoCloseable {
    private final Topology topology;
    private final Connection connection;
    private final Channel channel;

    BrokerProbe(Cluster cluster) throws IOException, TimeoutException {
        this.topology = new Topology(cluster.prefix(), QueueType.CLASSIC);
        TestServices.Broker broker = TestServices.get().broker();
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(broker.host());
        factory.setPort(broker.port());
        factory.setUsername(broker.user());
        factory.setPassword(broker.password());
        this.connection = factory.newConnection("e2e-probe");
        this.channel = connection.createChannel();
    }

    Topology topology() {
        return topology;
    }

    /** Messages ready (not held by any node) in a queue. */
    long ready(String queue) throws IOException {
        return channel.queueDeclarePassive(queue).getMessageCount();
    }

    /** Deletes a queue, messages and all, as an operator would. */
    void delete(String queue) throws IOException {
        channel.queueDelete(queue);
    }

    void publish(String queue, String body) throws IOException {
        AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().deliveryMode(2).build();
        channel.basicPublish("", queue, persistent, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Takes every ready message off the default pool's job queue; returns the job ids they carried. */
    List<UUID> drainJobQueue() throws IOException {
        WireCodec codec = new WireCodec();
        List<UUID> jobs = new ArrayList<>();
        GetResponse response;
        while ((response = channel.basicGet(topology.jobQueue("default"), true)) != null) {
            jobs.add(codec.decodeJob(response.getBody()).jobId());
        }
        return jobs;
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
