package io.orchestr.manager;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.orchestr.testing.TestServices;

/** Connections of the tests' own to the test broker. */
final class TestBroker {
    private TestBroker() {
    }

    static Connection connect(String name) {
        try {
            ConnectionFactory factory = new ConnectionFactory();
            factory.setUri(TestServices.get().broker().uri());
            return factory.newConnection(name);
        } catch (Exception e) {
            throw new IllegalStateException("cannot connect to the test broker", e);
        }
    }
}
