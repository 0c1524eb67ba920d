package io.orchestr.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A database of one benchmark run, {@code orchestr_bench_<random>}, created empty; the manager migrates it with
 * Flyway when it starts. Dropped again by {@link #drop()}.
 */
record BenchDatabase(Services.DatabaseServer server, String name) {

    static BenchDatabase create(Services.DatabaseServer server) {
        BenchDatabase database = new BenchDatabase(server,
                "orchestr_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10));
        database.execute("CREATE DATABASE `" + database.name + "`");
        return database;
    }

    String jdbcUrl() {
        return server.urlOf(name);
    }

    void drop() {
        execute("DROP DATABASE IF EXISTS `" + name + "`");
    }

    private void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(server.url(), server.user(), server.password());
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new BenchException("'" + sql + "' failed at " + server.url() + " as " + server.user() + ": "
                    + e.getMessage() + " (is deploy/local-services.sh done?)", e);
        }
    }
}
