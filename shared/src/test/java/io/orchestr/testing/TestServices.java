package io.orchestr.testing;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.MySQLContainer;
import org.testcontainers.containers.RabbitMQContainer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The RabbitMQ broker and MySQL-compatible database that tests talk to. Real services only: the ones named by
 * environment variables when set (see {@link #ENVIRONMENT}), else containers started by Testcontainers when
 * Docker is available; otherwise tests fail at once with a message saying what to set.
 *
 * <p>Each test class asks for its own database ({@link #newDatabase}) and topology prefix ({@link #newPrefix}),
 * so classes never see each other's data.
 */
public final class TestServices {
    /** The environment variables read, with what they mean. */
    public static final Map<String, String> ENVIRONMENT = Map.of(
            "ORCHESTR_RABBITMQ_HOST", "broker host, e.g. 127.0.0.1",
            "ORCHESTR_RABBITMQ_PORT", "broker AMQP port (5672)",
            "ORCHESTR_RABBITMQ_USER", "broker user (guest)",
            "ORCHESTR_RABBITMQ_PASSWORD", "broker password (guest)",
            "ORCHESTR_TEST_DB_ADMIN_URL", "JDBC URL of the database server, e.g. jdbc:mysql://127.0.0.1:3306/",
            "ORCHESTR_DB_USER", "a database user allowed to create databases named orchestr_*",
            "ORCHESTR_DB_PASSWORD", "its password");

    private static final TestServices INSTANCE = resolve();

    private final Broker broker;
    private final String adminUrl;
    private final String dbUser;
    private final String dbPassword;

    private TestServices(Broker broker, String adminUrl, String dbUser, String dbPassword) {
        this.broker = broker;
        this.adminUrl = adminUrl.endsWith("/") ? adminUrl : adminUrl + "/";
        this.dbUser = dbUser;
        this.dbPassword = dbPassword;
    }

    /** The services of this test JVM, resolved once. */
    public static TestServices get() {
        return INSTANCE;
    }

    /** Where the broker listens. */
    public record Broker(String host, int port, String user, String password) {
        public String uri() {
            return "amqp://" + user + ":" + password + "@" + host + ":" + port + "/%2F";
        }
    }

    /** A database of its own for one test class. */
    public record Database(String name, String jdbcUrl, String user, String password) {
    }

    public Broker broker() {
        return broker;
    }

    /** Creates a new, empty database, named after {@code label} and a random suffix. */
    public Database newDatabase(String label) {
        String clean = label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        String name = "orchestr_t_" + clean.substring(0, Math.min(20, clean.length())) + "_" + shortId();
        try (Connection connection = DriverManager.getConnection(adminUrl, dbUser, dbPassword);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE `" + name + "`");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + " at " + adminUrl + " as "
                    + dbUser + ": " + e.getMessage(), e);
        }
        return new Database(name, adminUrl + name, dbUser, dbPassword);
    }

    /** A topology prefix no other test uses. */
    public String newPrefix(String label) {
        return "orchestr-test-" + label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "") + "-" + shortId();
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static TestServices resolve() {
        String host = System.getenv("ORCHESTR_RABBITMQ_HOST");
        String dbUrl = System.getenv("ORCHESTR_TEST_DB_ADMIN_URL");
        boolean docker = (host == null || dbUrl == null) && dockerAvailable();
        Broker broker;
        if (host != null) {
            broker = new Broker(host, Integer.parseInt(env("ORCHESTR_RABBITMQ_PORT", "5672")),
                    env("ORCHESTR_RABBITMQ_USER", "guest"), env("ORCHESTR_RABBITMQ_PASSWORD", "guest"));
        } else if (docker) {
            RabbitMQContainer rabbit = new RabbitMQContainer("rabbitmq:3.13-management");
            rabbit.start();
            broker = new Broker(rabbit.getHost(), rabbit.getAmqpPort(), rabbit.getAdminUsername(),
                    rabbit.getAdminPassword());
        } else {
            throw missing();
        }
        if (dbUrl != null) {
            return new TestServices(broker, dbUrl, env("ORCHESTR_DB_USER", "orchestr"),
                    env("ORCHESTR_DB_PASSWORD", "orchestr"));
        }
        if (!docker) {
            throw missing();
        }
        MySQLContainer<?> mysql = new MySQLContainer<>("mysql:8.4").withUsername("root").withPassword("test");
        mysql.start();
        return new TestServices(broker, "jdbc:mysql://" + mysql.getHost() + ":" + mysql.getMappedPort(3306) + "/",
                "root", "test");
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static IllegalStateException missing() {
        StringBuilder message = new StringBuilder("Tests need a real RabbitMQ and a MySQL-compatible database, and"
                + " Docker is not available to start them. Set these environment variables (deploy/test.sh sets"
                + " them for the local services):");
        ENVIRONMENT.forEach((name, meaning) -> message.append("\n  ").append(name).append(": ").append(meaning));
        return new IllegalStateException(message.toString());
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
