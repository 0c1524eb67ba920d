package io.orchestr.shared.topology;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BrokerAddressTest {
    private static final String SETTING = BrokerAddress.SETTING;

    @Test
    void readsHostPortPairsInOrderWithSpacesAroundCommasAndIpv6InBrackets() {
        assertThat(BrokerAddress.parseList(SETTING, "rabbit-1:5672, rabbit-2:5673 ,10.0.0.3:5674,[::1]:5675"))
                .containsExactly(new BrokerAddress("rabbit-1", 5672), new BrokerAddress("rabbit-2", 5673),
                        new BrokerAddress("10.0.0.3", 5674), new BrokerAddress("::1", 5675));
    }

    @Test
    void aRepeatedAddressCountsOnceAndTheListReadsBackAsWritten() {
        List<BrokerAddress> addresses = BrokerAddress.parseList(SETTING, "a:1,b:2,a:1,[::1]:3");

        assertThat(addresses).hasSize(3);
        assertThat(BrokerAddress.join(addresses)).isEqualTo("a:1,b:2,[::1]:3");
        assertThat(BrokerAddress.parseList(SETTING, BrokerAddress.join(addresses))).isEqualTo(addresses);
    }

    @Test
    void badInputIsRefusedNamingTheSettingAndTheEntry() {
        assertRefused("", "ORCHESTR_RABBITMQ_ADDRESSES is empty");
        assertRefused("  ", "ORCHESTR_RABBITMQ_ADDRESSES is empty");
        assertRefused("rabbit-1", "ORCHESTR_RABBITMQ_ADDRESSES=rabbit-1: 'rabbit-1' is not host:port");
        assertRefused("a:5672,,b:5672", "'' is not host:port");
        assertRefused("a:5672,", "'' is not host:port");
        assertRefused("a:port", "'a:port' is not host:port");
        assertRefused("a:5672:1", "'a:5672:1' is not host:port");
        assertRefused("::1:5672", "'::1:5672' is not host:port");
        assertRefused("a b:5672", "'a b:5672' is not host:port");
        assertRefused("a:0", "'a:0' has port 0, which is not 1 to 65535");
        assertRefused("a:5672,b:65536", "'b:65536' has port 65536, which is not 1 to 65535");
        assertRefused("amqp://a:5672", "'amqp://a:5672' is not host:port");
    }

    private static void assertRefused(String value, String message) {
        assertThatThrownBy(() -> BrokerAddress.parseList(SETTING, value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(SETTING)
                .hasMessageContaining(message);
    }
}
