package io.orchestr.e2e.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A manager or node started through its {@code deploy/} script as a separate JVM. The scripts {@code exec}
 * the JVM, so signals sent to this process reach the manager or node itself.
 */
public final class OrchestrProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration READY_POLL = Duration.ofMillis(200);

    private final String name;
    private final int httpPort;
    private final Path log;
    private final Process process;

    private OrchestrProcess(String name, int httpPort, Path log, Process process) {
        this.name = name;
        this.httpPort = httpPort;
        this.log = log;
        this.process = process;
    }

    /**
     * Runs {@code <root>/deploy/<script>} with {@code args} and {@code env}; output goes to
     * {@code <logs>/<name>.log}.
     */
    public static OrchestrProcess start(Path root, String name, String script, List<String> args,
                                        Map<String, String> env, int httpPort, Path logs) {
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("deploy").resolve(script).toString()));
        command.addAll(args);
        return run(name, command, root, env, httpPort, logs);
    }

    /**
     * Runs {@code command} in {@code directory} with {@code env} and {@code ORCHESTR_HTTP_PORT=httpPort}; output
     * goes to {@code <logs>/<name>.log}.
     */
    public static OrchestrProcess run(String name, List<String> command, Path directory, Map<String, String> env,
                                      int httpPort, Path logs) {
        Path log = logs.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        builder.environment().put("ORCHESTR_HTTP_PORT", Integer.toString(httpPort));
        try {
            Files.createDirectories(logs);
            return new OrchestrProcess(name, httpPort, log, builder.start());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name + " with " + command, e);
        }
    }

    /**
     * The environment that points {@code deploy/manager.sh} and {@code deploy/node.sh} at a broker and a name
     * prefix; a new, mutable map, for the caller to add its own settings to.
     */
    public static Map<String, String> brokerEnvironment(String host, int port, String user, String password,
                                                        String prefix) {
        Map<String, String> env = new HashMap<>();
        env.put("ORCHESTR_RABBITMQ_HOST", host);
        env.put("ORCHESTR_RABBITMQ_PORT", Integer.toString(port));
        env.put("ORCHESTR_RABBITMQ_USER", user);
        env.put("ORCHESTR_RABBITMQ_PASSWORD", password);
        env.put("ORCHESTR_PREFIX", prefix);
        return env;
    }

    /** A TCP port on the loopback interface that nothing listens on right now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until {@code /q/health/ready} answers 200, failing early with the log when the process died.
     *
     * @throws IllegalStateException when the process exits or the timeout passes first
     */
    public OrchestrProcess awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (!ready()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue()
                        + "; its log ends with:\n" + tail());
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(name + " not ready on port " + httpPort + " within " + timeout
                        + "; its log ends with:\n" + tail());
            }
            try {
                Thread.sleep(READY_POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
        }
        return this;
    }

    private boolean ready() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public String name() {
        return name;
    }

    public int httpPort() {
        return httpPort;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Sends {@code signal} ({@code STOP}, {@code CONT}, ...) with {@code kill}; returns once it was sent.
     *
     * @throws IllegalStateException when {@code kill} failed or did not end within 10 s
     */
    public void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid() + " (" + name + ") failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kill -" + signal, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending " + signal + " to " + name, e);
        }
    }

    /** SIGKILL: the process gets no chance to clean up. Returns once it is gone. */
    public void kill() {
        process.destroyForcibly();
        awaitExit();
    }

    /** SIGTERM: the process shuts down gracefully. Returns once it is gone (SIGKILL after 60 s). */
    public void terminate() {
        process.destroy();
        awaitExit();
    }

    /**
     * Waits until the process exits by itself and returns its exit code.
     *
     * @throws IllegalStateException when it still runs after {@code timeout} (it is then killed), with its log
     */
    public int awaitExitCode(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                throw new IllegalStateException(name + " did not exit within " + timeout + "; its log ends with:\n"
                        + tail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name + " to exit", e);
        }
        return process.exitValue();
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last lines of the process's output, for failure messages. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            terminate();
        }
    }
}
