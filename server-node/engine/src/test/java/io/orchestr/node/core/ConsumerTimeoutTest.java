package io.orchestr.node.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConsumerTimeoutTest {

    @ParameterizedTest(name = "RabbitMQ {0}: per-consumer timeout {1}")
    @CsvSource({
            "3.10.8, false",
            "3.11.14, false",
            "3.11.15, true",
            "3.12.0, true",
            "3.12.0-rc.1, true",
            "3.13.7, true",
            "4.2.1, true",
            "4.3.0, false",
            "4.3.2, false",
            "unknown, false"
    })
    void theArgumentGoesOnlyToBrokersThatTakeIt(String version, boolean supported) {
        assertThat(ConsumerTimeout.consumerArguments(version)).isEqualTo(supported
                ? Map.of(ConsumerTimeout.ARGUMENT, ConsumerTimeout.LONGEST_MILLIS) : Map.of());
    }

    @Test
    void aBrokerThatDoesNotSayItsVersionGetsNoArgument() {
        assertThat(ConsumerTimeout.consumerArguments(null)).isEmpty();
    }
}
