package io.orchestr.bench;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.orchestr.shared.Names;
import io.orchestr.shared.topology.QueueType;
import io.orchestr.shared.topology.Topology;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Deletes the durable queues and exchanges a run declared under its prefix, so that runs leave nothing behind
 * in the broker. Node queues need no deleting: they are exclusive to the node connections, gone with them.
 */
final class BrokerCleanup {
    private BrokerCleanup() {
    }

    /** Deletes what the run declared; returns what could not be deleted, to be reported. */
    static List<String> deleteTopology(Services.Broker broker, String prefix) {
        Topology topology = new Topology(prefix, QueueType.CLASSIC);
        List<String> failures = new ArrayList<>();
        try (Connection connection = broker.connectionFactory().newConnection("orchestr-bench-cleanup")) {
            for (String queue : List.of(topology.jobQueue(Names.DEFAULT_POOL), topology.managerQueue(),
                    topology.claimsQueue(), topology.deadLetterQueue())) {
                // a channel of its own each: an error closes the channel it happens on
                try (Channel channel = connection.createChannel()) {
                    channel.queueDelete(queue);
                } catch (IOException | TimeoutException | RuntimeException e) {
                    failures.add("queue " + queue + ": " + e.getMessage());
                }
            }
            for (String exchange : List.of(topology.controlExchange(), topology.deadLetterExchange())) {
                try (Channel channel = connection.createChannel()) {
                    channel.exchangeDelete(exchange);
                } catch (IOException | TimeoutException | RuntimeException e) {
                    failures.add("exchange " + exchange + ": " + e.getMessage());
                }
            }
        } catch (IOException | TimeoutException e) {
            failures.add("broker at " + broker.host() + ":" + broker.port() + ": " + e.getMessage());
        }
        return failures;
    }
}
