package io.orchestr.manager.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BrokerAddressesConfigSourceTest {
    private static final String ADDRESSES = BrokerAddressesConfigSource.ADDRESS_PROPERTY;

    @Test
    void eachListedBrokerNodeBecomesAnAddressOfTheRabbitMqClientExtension() {
        BrokerAddressesConfigSource source = new BrokerAddressesConfigSource(Map.of(
                "ORCHESTR_RABBITMQ_ADDRESSES", "rabbit-1:5672, rabbit-2:5673,[fd00::3]:5674"));

        assertThat(source.getProperties()).containsExactlyInAnyOrderEntriesOf(Map.of(
                ADDRESSES + "broker-1.hostname", "rabbit-1", ADDRESSES + "broker-1.port", "5672",
                ADDRESSES + "broker-2.hostname", "rabbit-2", ADDRESSES + "broker-2.port", "5673",
                ADDRESSES + "broker-3.hostname", "fd00::3", ADDRESSES + "broker-3.port", "5674"));
        assertThat(source.getPropertyNames()).isEqualTo(source.getProperties().keySet());
    }

    @Test
    void unsetOrEmptyItSetsNothingSoTheHostAndPortSettingsApply() {
        assertThat(new BrokerAddressesConfigSource(Map.of()).getProperties()).isEmpty();
        assertThat(new BrokerAddressesConfigSource(Map.of("ORCHESTR_RABBITMQ_ADDRESSES", " ")).getProperties())
                .isEmpty();
    }

    @Test
    void aListThatIsNotHostPortPairsStopsTheManagerNamingTheSetting() {
        assertThatThrownBy(() -> new BrokerAddressesConfigSource(Map.of("ORCHESTR_RABBITMQ_ADDRESSES",
                "rabbit-1:5672,rabbit-2")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ORCHESTR_RABBITMQ_ADDRESSES=rabbit-1:5672,rabbit-2:")
                .hasMessageContaining("'rabbit-2' is not host:port");
    }
}
