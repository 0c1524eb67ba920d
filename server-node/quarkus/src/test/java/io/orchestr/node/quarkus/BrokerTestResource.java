package io.orchestr.node.quarkus;

import io.orchestr.node.testing.TestBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Points the Quarkus node at the real test broker under a fresh prefix, hands the test a {@link TestBroker} for
 * that prefix, and removes the prefix's queues once the application stopped.
 */
public class BrokerTestResource implements QuarkusTestResourceLifecycleManager {
    private TestBroker broker;

    @Override
    public Map<String, String> start() {
        broker = new TestBroker("quarkus");
        return Map.of(
                "orchestr.prefix", broker.prefix(),
                "orchestr.rabbitmq.host", broker.options().host(),
                "orchestr.rabbitmq.port", String.valueOf(broker.options().port()),
                "orchestr.rabbitmq.user", broker.options().user(),
                "orchestr.rabbitmq.password", broker.options().password(),
                "orchestr.node.name", "quarkus-node",
                "orchestr.node.heartbeat-interval", "200ms",
                "orchestr.node.roles", "db,web",
                "quarkus.http.test-port", "0");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(broker, new TestInjector.MatchesType(TestBroker.class));
    }

    @Override
    public void stop() {
        try {
            broker.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot clean up the Quarkus test broker prefix", e);
        }
    }
}
