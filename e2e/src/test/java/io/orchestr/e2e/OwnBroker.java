package io.orchestr.e2e;

import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.testing.TestServices;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import static org.awaitility.Awaitility.await;

/**
 * A RabbitMQ node of a test's own, on ports of its own, so that the test can stop, start or empty it without
 * disturbing the broker every other test uses. Its durable queues and persistent messages stay in its data
 * directory across a stop, as on a real broker restart.
 *
 * <p>Debian's {@code rabbitmq-server} drops to the {@code rabbitmq} user, so the data directory lives in a
 * world-writable temporary directory rather than under {@code target/}.
 */
final class OwnBroker implements AutoCloseable {
    private static final Path SERVER = Path.of("/usr/sbin/rabbitmq-server");
    private static final Path CTL = Path.of("/usr/sbin/rabbitmqctl");
    private static final String NO_CONSUMER_TIMEOUT = "[{rabbit, [{consumer_timeout, undefined}]}].";

    private final Path dir;
    private final String nodeName;
    private final int port;
    private final int distributionPort;
    private final Map<String, String> clientEnvironment;
    private Process server;

    private OwnBroker(Path dir, String nodeName, int port, int distributionPort,
                      Map<String, String> clientEnvironment) {
        this.dir = dir;
        this.nodeName = nodeName;
        this.port = port;
        this.distributionPort = distributionPort;
        this.clientEnvironment = Map.copyOf(clientEnvironment);
    }

    /**
     * Starts a node whose {@code advanced.config} holds {@code advancedConfig} (Erlang terms, e.g. a short
     * consumer timeout) and waits until it accepts connections.
     */
    static OwnBroker start(String advancedConfig) {
        return start(port -> "listeners.tcp.local = 127.0.0.1:" + port + "\n", advancedConfig, Map.of());
    }

    /**
     * Starts a node, without a consumer timeout, that listens only with TLS, shows a certificate for {@code
     * localhost} (not for 127.0.0.1) and asks every client for a certificate (mutual TLS), all signed by {@code
     * certificates}' authority; its {@link #clientEnvironment()} points managers and nodes at {@code localhost},
     * that authority and that client certificate.
     */
    static OwnBroker startWithTls(TestCertificates certificates) {
        return start(port -> "listeners.tcp = none\n"
                        + "listeners.ssl.local = 127.0.0.1:" + port + "\n"
                        + "ssl_options.cacertfile = " + certificates.authorityPem() + "\n"
                        + "ssl_options.certfile = " + certificates.localhostOnlyPem() + "\n"
                        + "ssl_options.keyfile = " + certificates.localhostOnlyKey() + "\n"
                        + "ssl_options.verify = verify_peer\n"
                        + "ssl_options.fail_if_no_peer_cert = true\n",
                NO_CONSUMER_TIMEOUT,
                Map.of("ORCHESTR_RABBITMQ_HOST", "localhost",
                        "ORCHESTR_RABBITMQ_TLS", "true",
                        "ORCHESTR_RABBITMQ_TLS_TRUST_STORE", certificates.trustStore().toString(),
                        "ORCHESTR_RABBITMQ_TLS_TRUST_STORE_PASSWORD", TestCertificates.PASSWORD,
                        "ORCHESTR_RABBITMQ_TLS_KEY_STORE", certificates.clientKeyStore().toString(),
                        "ORCHESTR_RABBITMQ_TLS_KEY_STORE_PASSWORD", TestCertificates.PASSWORD));
    }

    private static OwnBroker start(IntFunction<String> config, String advancedConfig,
                                   Map<String, String> clientEnvironment) {
        boolean installed = Files.isExecutable(SERVER) && Files.isExecutable(CTL);
        if (!installed || !"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("this test starts a RabbitMQ node of its own: it needs " + SERVER + " and "
                    + CTL + " (deploy/local-services.sh installs them) and must run as root, which Debian's"
                    + " rabbitmq-server needs to switch to the rabbitmq user");
        }
        try {
            Path dir = Files.createTempDirectory("orchestr-own-broker-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            OwnBroker broker = new OwnBroker(dir, "orchestr-e2e-" + UUID.randomUUID().toString().substring(0, 8)
                    + "@localhost", OrchestrProcess.freePort(), OrchestrProcess.freePort(), clientEnvironment);
            Files.writeString(dir.resolve("rabbitmq.conf"), config.apply(broker.port));
            Files.writeString(dir.resolve("advanced.config"), advancedConfig + "\n");
            Files.writeString(dir.resolve("enabled_plugins"), "[].\n");
            broker.startServer();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare an own RabbitMQ node", e);
        }
    }

    /** A node without a consumer timeout, as {@code deploy/rabbitmq/advanced.config} configures one. */
    static OwnBroker start() {
        return start(NO_CONSUMER_TIMEOUT);
    }

    TestServices.Broker broker() {
        return new TestServices.Broker("127.0.0.1", port, "guest", "guest");
    }

    /** What a manager or node needs in its environment beyond {@link #broker()} (TLS settings); often nothing. */
    Map<String, String> clientEnvironment() {
        return clientEnvironment;
    }

    /** Starts the node on its data directory and port and waits until it accepts AMQP connections. */
    void startServer() {
        ProcessBuilder builder = new ProcessBuilder(SERVER.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()));
        Map<String, String> env = builder.environment();
        env.put("RABBITMQ_NODENAME", nodeName);
        env.put("RABBITMQ_NODE_PORT", Integer.toString(port));
        env.put("RABBITMQ_DIST_PORT", Integer.toString(distributionPort));
        env.put("RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString());
        env.put("RABBITMQ_LOG_BASE", dir.resolve("log").toString());
        env.put("RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq.conf").toString());
        env.put("RABBITMQ_ADVANCED_CONFIG_FILE", dir.resolve("advanced.config").toString());
        env.put("RABBITMQ_ENABLED_PLUGINS_FILE", dir.resolve("enabled_plugins").toString());
        env.put("RABBITMQ_PID_FILE", dir.resolve("rabbitmq.pid").toString());
        // the machine's rabbitmq-env.conf names the shared node; this one must not read it
        env.put("RABBITMQ_CONF_ENV_FILE", dir.resolve("rabbitmq-env.conf").toString());
        try {
            server = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start rabbitmq-server for " + nodeName, e);
        }
        await("own RabbitMQ node " + nodeName + " on port " + port + " (log: " + dir.resolve("server.log") + ")")
                .atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> server.isAlive() && accepts());
    }

    /** Stops the node cleanly, as {@code rabbitmqctl stop} does, and waits until it is gone. */
    void stop() {
        ctl("stop");
        try {
            if (!server.waitFor(60, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Sets the node's memory high watermark, as a fraction of the machine's memory: a tiny one raises the memory
     * alarm at once, and the broker blocks every connection that publishes; 0.4 (the default) clears it.
     */
    void setMemoryWatermark(double fraction) {
        ctl("set_vm_memory_high_watermark", Double.toString(fraction));
    }

    private void ctl(String... command) {
        List<String> line = new ArrayList<>(List.of(CTL.toString(), "-n", nodeName));
        line.addAll(List.of(command));
        Commands.exitCode(line, dir.resolve("rabbitmqctl.log"));
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (server != null && server.isAlive()) {
            stop();
        }
    }

    @Override
    public String toString() {
        return "own RabbitMQ node " + nodeName + " on port " + port + " in " + dir;
    }
}
