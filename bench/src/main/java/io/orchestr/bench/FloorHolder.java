package io.orchestr.bench;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import java.util.concurrent.CountDownLatch;

/**
 * The bare RabbitMQ consumer that the floor benchmark SIGKILLs, run as a JVM of its own: it consumes a queue
 * with a prefetch of N and never acks, so it holds up to N messages unacked until it dies, as a node holds the
 * messages of the jobs it runs. Usage: {@code FloorHolder <queue> <prefetch>}, broker from the
 * {@code ORCHESTR_RABBITMQ_*} environment variables.
 */
final class FloorHolder {
    private FloorHolder() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: FloorHolder <queue> <prefetch>");
            System.exit(2);
        }
        String queue = args[0];
        int prefetch = Integer.parseInt(args[1]);
        Services.Broker broker = Services.fromEnvironment(System.getenv()).broker();
        Connection connection = broker.connectionFactory().newConnection("orchestr-bench-floor-holder");
        Channel channel = connection.createChannel();
        channel.basicQos(prefetch);
        channel.basicConsume(queue, false, (tag, delivery) -> { }, tag -> { });
        System.out.println("consuming " + queue + " with prefetch " + prefetch + ", acking nothing");
        // holds its deliveries until it is killed
        new CountDownLatch(1).await();
    }
}
