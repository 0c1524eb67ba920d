package io.orchestr.e2e.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The 3-node RabbitMQ cluster of {@code deploy/rabbitmq-cluster.sh} (next to the default broker, which it leaves
 * alone), driven through that script: started, its nodes killed and started again, the leader of a quorum queue
 * looked up, stopped and removed. For the e2e tests and the bench; needs root and Debian's rabbitmq-server, as the
 * script does.
 */
public final class BrokerCluster implements AutoCloseable {
    private static final String ADDRESSES = "ORCHESTR_RABBITMQ_ADDRESSES=";
    private static final long COMMAND_TIMEOUT_SECONDS = 180;

    private final Path script;
    private final Path log;
    private final String addresses;

    private BrokerCluster(Path script, Path log, String addresses) {
        this.script = script;
        this.log = log;
        this.addresses = addresses;
    }

    /**
     * Starts the cluster with {@code root}'s {@code deploy/rabbitmq-cluster.sh}, appending the script's output to
     * {@code log}, and returns once its three nodes run and are joined.
     *
     * @throws IllegalStateException when the script fails, with the end of its output
     */
    public static BrokerCluster start(Path root, Path log) {
        Path script = root.resolve("deploy/rabbitmq-cluster.sh").toAbsolutePath();
        String out = run(script, log, "start");
        String line = out.lines().filter(l -> l.startsWith(ADDRESSES)).reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException(script + " start printed no addresses line: " + out));
        return new BrokerCluster(script, log, line.substring(ADDRESSES.length()).strip());
    }

    /** The nodes' addresses, {@code host:port,host:port}: the value of {@code ORCHESTR_RABBITMQ_ADDRESSES}. */
    public String addresses() {
        return addresses;
    }

    /** The AMQP port of node {@code n} (1 to 3). */
    public int port(int n) {
        String address = addresses.split(",")[n - 1];
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    /** SIGKILLs node {@code n} (1 to 3) and returns once its VM is gone. */
    public void kill(int n) {
        run(script, log, "kill", Integer.toString(n));
    }

    /** Starts node {@code n} again on its data; returns once it serves (it rejoins the cluster). */
    public void startNode(int n) {
        run(script, log, "start-node", Integer.toString(n));
    }

    /** The number (1 to 3) of the node that leads quorum queue {@code queue}, as the running nodes see it. */
    public int leaderOf(String queue) {
        return Integer.parseInt(run(script, log, "leader", queue).strip());
    }

    /** Stops every node and removes what {@link #start} made. */
    @Override
    public void close() {
        run(script, log, "stop");
    }

    private static String run(Path script, Path log, String... args) {
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(args));
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            Path out = Files.createTempFile("rabbitmq-cluster-", ".out");
            try {
                Process process = new ProcessBuilder(command)
                        .redirectOutput(out.toFile())
                        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
                if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " ran longer than "
                            + COMMAND_TIMEOUT_SECONDS + " s; see " + log);
                }
                String stdout = Files.readString(out);
                Files.writeString(log, stdout, StandardOpenOption.APPEND);
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " failed (exit "
                            + process.exitValue() + "); see " + log + ": " + stdout);
                }
                return stdout;
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    @Override
    public String toString() {
        return "RabbitMQ cluster " + addresses + " (" + script + ")";
    }
}
