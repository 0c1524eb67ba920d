package io.orchestr.manager;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.orchestr.testing.TestServices;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * Gives each test class a database and a topology prefix of its own on the real services ({@link TestServices}),
 * and removes both when the class is done.
 */
public class LocalServices implements QuarkusTestResourceLifecycleManager {
    /** The pools tests publish to; their queues are deleted after the class. */
    public static final List<String> POOLS = List.of("default", "gpu", "paging", "republished");

    private TestServices.Database database;
    private String prefix;

    @Override
    public Map<String, String> start() {
        TestServices services = TestServices.get();
        database = services.newDatabase("manager");
        prefix = services.newPrefix("manager");
        TestServices.Broker broker = services.broker();
        return Map.of(
                "quarkus.datasource.jdbc.url", database.jdbcUrl(),
                "quarkus.datasource.username", database.user(),
                "quarkus.datasource.password", database.password(),
                "quarkus.rabbitmqclient.hostname", broker.host(),
                "quarkus.rabbitmqclient.port", String.valueOf(broker.port()),
                "quarkus.rabbitmqclient.username", broker.user(),
                "quarkus.rabbitmqclient.password", broker.password(),
                "orchestr.prefix", prefix);
    }

    @Override
    public void stop() {
        try (java.sql.Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(),
                database.password()); Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE `" + database.name() + "`");
        } catch (Exception e) {
            System.err.println("Could not drop test database " + database.name() + ": " + e.getMessage());
        }
        deleteTopology();
    }

    private void deleteTopology() {
        try (Connection connection = TestBroker.connect("orchestr-test-cleanup");
             Channel channel = connection.createChannel()) {
            for (String pool : POOLS) {
                channel.queueDelete(prefix + ".jobs." + pool);
            }
            channel.queueDelete(prefix + ".manager");
            channel.queueDelete(prefix + ".manager.claims");
            channel.queueDelete(prefix + ".dead");
            channel.exchangeDelete(prefix + ".dead");
            channel.exchangeDelete(prefix + ".control");
        } catch (Exception e) {
            System.err.println("Could not delete the test topology under " + prefix + ": " + e.getMessage());
        }
    }
}
