package io.orchestr.bench;

import com.rabbitmq.client.ConnectionFactory;

import java.util.Map;

/**
 * The RabbitMQ broker and the database server a benchmark run uses, read from the same environment variables as
 * {@code deploy/lib/env.sh} sets, with the same defaults.
 */
record Services(Broker broker, DatabaseServer database) {

    /** Where the broker listens. */
    record Broker(String host, int port, String user, String password) {
        ConnectionFactory connectionFactory() {
            ConnectionFactory factory = new ConnectionFactory();
            factory.setHost(host);
            factory.setPort(port);
            factory.setUsername(user);
            factory.setPassword(password);
            return factory;
        }
    }

    /** The database server, as a JDBC URL without a database, and a user that may create databases. */
    record DatabaseServer(String url, String user, String password) {
        String urlOf(String database) {
            return url + database;
        }
    }

    static Services fromEnvironment(Map<String, String> env) {
        Broker broker = new Broker(get(env, "ORCHESTR_RABBITMQ_HOST", "127.0.0.1"),
                Integer.parseInt(get(env, "ORCHESTR_RABBITMQ_PORT", "5672")),
                get(env, "ORCHESTR_RABBITMQ_USER", "guest"), get(env, "ORCHESTR_RABBITMQ_PASSWORD", "guest"));
        String dbUrl = "jdbc:mysql://" + get(env, "ORCHESTR_DB_HOST", "127.0.0.1") + ":"
                + get(env, "ORCHESTR_DB_PORT", "3306") + "/";
        return new Services(broker, new DatabaseServer(dbUrl, get(env, "ORCHESTR_DB_USER", "orchestr"),
                get(env, "ORCHESTR_DB_PASSWORD", "orchestr")));
    }

    private static String get(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
