package io.orchestr.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

/**
 * Reads what the scale scenario reports about the machinery under load: process CPU time, the manager's
 * Prometheus metrics, the database server's write counters, and the broker's memory.
 */
final class ClusterMeters {
    /** Write statements counted by the database server (all its clients, so keep other work off it). */
    private static final String WRITE_STATEMENTS = "SHOW GLOBAL STATUS WHERE Variable_name IN ('Com_insert',"
            + " 'Com_insert_select', 'Com_update', 'Com_update_multi', 'Com_delete', 'Com_delete_multi',"
            + " 'Com_replace')";
    /** Rows the storage engines wrote, changed or deleted. */
    private static final String ROW_WRITES = "SHOW GLOBAL STATUS WHERE Variable_name IN ('Handler_write',"
            + " 'Handler_update', 'Handler_delete')";

    private final Services services;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    ClusterMeters(Services services) {
        this.services = services;
    }

    /** CPU time the process has used so far (user and system), in seconds. */
    static double cpuSeconds(long pid) {
        return ProcessHandle.of(pid).flatMap(process -> process.info().totalCpuDuration())
                .map(cpu -> cpu.toNanos() / 1e9)
                .orElseThrow(() -> new BenchException("no CPU time for process " + pid + ": has it died?"));
    }

    PrometheusText metrics(int httpPort) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/metrics"))
                .timeout(Duration.ofSeconds(10)).build();
        try {
            return PrometheusText.parse(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
        } catch (IOException e) {
            throw new BenchException("cannot read metrics on port " + httpPort + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        }
    }

    /** Counters of the database server: write statements and rows written so far. */
    record DatabaseWrites(long statements, long rows) {
    }

    DatabaseWrites databaseWrites() {
        Services.DatabaseServer server = services.database();
        try (Connection connection = DriverManager.getConnection(server.url(), server.user(), server.password());
             Statement statement = connection.createStatement()) {
            return new DatabaseWrites(sum(statement, WRITE_STATEMENTS), sum(statement, ROW_WRITES));
        } catch (SQLException e) {
            throw new BenchException("cannot read the database server's status: " + e.getMessage(), e);
        }
    }

    private static long sum(Statement statement, String query) throws SQLException {
        long sum = 0;
        try (ResultSet rows = statement.executeQuery(query)) {
            while (rows.next()) {
                sum += rows.getLong(2);
            }
        }
        return sum;
    }

    /**
     * The broker's memory as {@code rabbitmqctl status} reports it (the node's total, in bytes), or empty when
     * rabbitmqctl cannot be run here (it needs the Erlang cookie, so root on this machine).
     */
    OptionalDouble brokerMemoryBytes() {
        try {
            Process process = new ProcessBuilder("rabbitmqctl", "status", "--formatter", "json")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return OptionalDouble.empty();
            }
            JsonNode total = json.readTree(new String(output, StandardCharsets.UTF_8)).path("memory").path("total");
            // 'total' holds the same figure as seen by the OS (rss), the allocator and the Erlang VM; rss is
            // what the machine pays
            JsonNode rss = total.path("rss");
            return rss.isNumber() ? OptionalDouble.of(rss.asDouble()) : OptionalDouble.empty();
        } catch (IOException e) {
            return OptionalDouble.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        }
    }
}
