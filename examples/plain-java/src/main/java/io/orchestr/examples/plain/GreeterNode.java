package io.orchestr.examples.plain;

import io.orchestr.node.OrchestratedServer;
import io.orchestr.node.RabbitMqOptions;

import java.util.concurrent.CountDownLatch;

/**
 * A server node in plain Java: it runs jobs of type {@code greet} with {@link GreetHandler} until the process is
 * stopped. The broker comes from the same environment variables as the runnable node's, with the same defaults.
 */
public final class GreeterNode {
    private GreeterNode() {
    }

    public static void main(String[] args) throws InterruptedException {
        OrchestratedServer server = OrchestratedServer.builder()
                .name(env("ORCHESTR_NODE_NAME", "greeter"))
                .maxWorkers(Integer.parseInt(env("ORCHESTR_NODE_SLOTS", "4")))
                .prefix(env("ORCHESTR_PREFIX", "orchestr"))
                .rabbitMq(RabbitMqOptions.of(
                        env("ORCHESTR_RABBITMQ_HOST", "127.0.0.1"),
                        Integer.parseInt(env("ORCHESTR_RABBITMQ_PORT", "5672")),
                        env("ORCHESTR_RABBITMQ_USER", "guest"),
                        env("ORCHESTR_RABBITMQ_PASSWORD", "guest")))
                .handler("greet", new GreetHandler())
                .build();
        server.start();

        // On SIGTERM or Ctrl-C: close() hands the running jobs back, so other nodes take them over at once.
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            closed.countDown();
        }));
        closed.await();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
