package io.orchestr.manager.config;

import io.orchestr.shared.topology.BrokerAddress;
import io.smallrye.config.common.MapBackedConfigSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The nodes of a broker cluster from {@code ORCHESTR_RABBITMQ_ADDRESSES} ({@code host:port,host:port}), as the
 * RabbitMQ client extension takes several addresses: a map {@code quarkus.rabbitmqclient.addresses.<name>.hostname}
 * and {@code .port}, one entry per node, which replaces {@code quarkus.rabbitmqclient.hostname} and {@code .port}.
 * The extension then connects with amqp-client's {@code newConnection(List<Address>)}, which tries the nodes in a
 * new random order at every connection and every automatic recovery. A config source because one variable becomes
 * a map of keys; absent, the extension connects to {@code ORCHESTR_RABBITMQ_HOST}:{@code ORCHESTR_RABBITMQ_PORT}
 * as before.
 */
public final class BrokerAddressesConfigSource extends MapBackedConfigSource {
    static final String ADDRESS_PROPERTY = "quarkus.rabbitmqclient.addresses.";
    /** Below the environment (300) and {@code application.properties} (250): an explicit setting wins. */
    private static final int ORDINAL = 200;

    /** Reads the process's environment; what the service loader calls. */
    public BrokerAddressesConfigSource() {
        this(System.getenv());
    }

    /**
     * Reads {@code env}.
     *
     * @throws IllegalArgumentException naming {@code ORCHESTR_RABBITMQ_ADDRESSES} when it is set but not a list
     *                                  {@code host:port,host:port}
     */
    BrokerAddressesConfigSource(Map<String, String> env) {
        super("orchestr-broker-addresses", propertiesOf(env), ORDINAL);
    }

    private static Map<String, String> propertiesOf(Map<String, String> env) {
        Map<String, String> found = new HashMap<>();
        String value = env.get(BrokerAddress.SETTING);
        if (value != null && !value.isBlank()) { // empty: unset, as SmallRye Config takes an empty value
            List<BrokerAddress> addresses = BrokerAddress.parseList(BrokerAddress.SETTING, value);
            for (int i = 0; i < addresses.size(); i++) {
                String key = ADDRESS_PROPERTY + "broker-" + (i + 1);
                found.put(key + ".hostname", addresses.get(i).host());
                found.put(key + ".port", Integer.toString(addresses.get(i).port()));
            }
        }
        return Map.copyOf(found);
    }
}
