package io.orchestr.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A manager or node started through its {@code deploy/} script as a separate JVM. The scripts {@code exec}
 * the JVM, so signals sent to this process reach the manager or node itself.
 */
final class OrchestrProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

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

    /** Runs {@code deploy/<script>} with {@code args} and {@code env}; output goes to {@code <logs>/<name>.log}. */
    static OrchestrProcess start(String name, String script, List<String> args, Map<String, String> env,
                                 int httpPort, Path logs) {
        Path root = Path.of(System.getProperty("orchestr.root", "..")).toAbsolutePath().normalize();
        Path log = logs.resolve(name + ".log");
        List<String> command = new java.util.ArrayList<>(List.of("bash", root.resolve("deploy").resolve(script).toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
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

    /** Waits until {@code /q/health/ready} answers 200, failing early with the log when the process died. */
    OrchestrProcess awaitReady(Duration timeout) {
        await(name + " ready on port " + httpPort).atMost(timeout).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(name + " exited with " + process.exitValue()
                                + "; its log ends with:\n" + tail());
                    }
                    return ready();
                });
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

    String name() {
        return name;
    }

    int httpPort() {
        return httpPort;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the process gets no chance to clean up. */
    void kill() {
        process.destroyForcibly();
        awaitExit();
    }

    /** SIGTERM: the process shuts down gracefully. */
    void terminate() {
        process.destroy();
        awaitExit();
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
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    String log() {
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
