package io.orchestr.e2e;

import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.testing.TestServices;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A MariaDB server of a test's own, on a port of its own, so that the test can stop and start it without
 * disturbing the database every other test uses. Its data stays in {@code dir} across a stop.
 */
final class OwnDatabase implements AutoCloseable {
    private static final Path SERVER = Path.of("/usr/sbin/mariadbd");
    private static final Path INSTALL = Path.of("/usr/bin/mariadb-install-db");
    private static final String USER = "orchestr";
    private static final String PASSWORD = "orchestr";
    private static final String NAME = "orchestr";

    private final Path dir;
    private final int port;
    /** Server options beyond those every start gives. */
    private final List<String> options;
    private Process server;

    private OwnDatabase(Path dir, int port, List<String> options) {
        this.dir = dir;
        this.port = port;
        this.options = List.copyOf(options);
    }

    /** Creates a data directory under {@code dir}, starts the server and creates the Orchestr user and database. */
    static OwnDatabase start(Path dir) {
        return start(dir, List.of());
    }

    /**
     * {@link #start(Path)} of a server that accepts only TLS connections, with the broker certificate of {@code
     * certificates} (it names {@code localhost} and {@code 127.0.0.1}).
     */
    static OwnDatabase startWithTls(Path dir, TestCertificates certificates) {
        return start(dir, List.of("--ssl-ca=" + certificates.authorityPem(), "--ssl-cert=" + certificates.serverPem(),
                "--ssl-key=" + certificates.serverKey(), "--require-secure-transport=ON"));
    }

    private static OwnDatabase start(Path dir, List<String> options) {
        if (!Files.isExecutable(SERVER) || !Files.isExecutable(INSTALL)) {
            throw new IllegalStateException("this test starts a MariaDB server of its own: it needs " + SERVER + " and "
                    + INSTALL + " (deploy/local-services.sh installs them)");
        }
        OwnDatabase database = new OwnDatabase(dir, OrchestrProcess.freePort(), options);
        database.run("install", List.of("mariadb-install-db", "--no-defaults", "--datadir=" + dir.resolve("data"),
                "--auth-root-authentication-method=normal", "--skip-test-db", "--user=root"));
        database.startServer();
        database.run("create-user", List.of("mariadb", "--socket=" + database.socket(), "-uroot", "-e",
                "CREATE USER '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD + "';"
                        + "CREATE USER '" + USER + "'@'localhost' IDENTIFIED BY '" + PASSWORD + "';"
                        + "GRANT ALL ON *.* TO '" + USER + "'@'%'; GRANT ALL ON *.* TO '" + USER + "'@'localhost';"
                        + "CREATE DATABASE " + NAME + ";"));
        return database;
    }

    TestServices.Database database() {
        return new TestServices.Database(NAME, "jdbc:mysql://127.0.0.1:" + port + "/" + NAME, USER, PASSWORD);
    }

    /** Stops the server cleanly (SIGTERM) and waits until it exited. */
    void stop() {
        server.destroy();
        try {
            if (!server.waitFor(60, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the server on the same data and port and waits until it answers. */
    void startServer() {
        List<String> command = new ArrayList<>(List.of("mariadbd", "--no-defaults", "--datadir=" + dir.resolve("data"),
                "--port=" + port, "--bind-address=127.0.0.1", "--socket=" + socket(), "--user=root",
                "--pid-file=" + dir.resolve("mariadb.pid")));
        command.addAll(options);
        try {
            server = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mariadb.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start mariadbd in " + dir, e);
        }
        await("own MariaDB on port " + port).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> exitCode(List.of("mariadb-admin", "--socket=" + socket(), "-uroot", "ping")) == 0);
    }

    private Path socket() {
        return dir.resolve("mariadb.sock");
    }

    private void run(String what, List<String> command) {
        int code = exitCode(command);
        if (code != 0) {
            throw new IllegalStateException(what + " failed with " + code + ", see " + dir.resolve(what + ".log"));
        }
    }

    private int exitCode(List<String> command) {
        return Commands.exitCode(command, dir.resolve("commands.log"));
    }

    @Override
    public void close() {
        if (server != null && server.isAlive()) {
            stop();
        }
    }
}
