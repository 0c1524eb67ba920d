package io.orchestr.node.app;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalDrainTest {

    @Test
    void onlyLoopbackAddressLiteralsAreLoopback() {
        assertThat(LocalDrain.isLoopback("127.0.0.1")).isTrue();
        assertThat(LocalDrain.isLoopback("127.10.0.3")).isTrue();
        assertThat(LocalDrain.isLoopback("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(LocalDrain.isLoopback("::1")).isTrue();
        assertThat(LocalDrain.isLoopback("10.1.2.3")).isFalse();
        assertThat(LocalDrain.isLoopback("::ffff:10.1.2.3")).isFalse();
        assertThat(LocalDrain.isLoopback("localhost")).as("a name, never looked up").isFalse();
        assertThat(LocalDrain.isLoopback(null)).isFalse();
        assertThat(LocalDrain.isLoopback("")).isFalse();
    }

    @Test
    void theTimeoutIsAnIsoDurationFromOneSecondToOneHourSixtySecondsByDefault() {
        assertThat(LocalDrain.timeout(null)).isEqualTo(Duration.ofSeconds(60));
        assertThat(LocalDrain.timeout("PT5M")).isEqualTo(Duration.ofMinutes(5));
        assertThatThrownBy(() -> LocalDrain.timeout("60")).hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> LocalDrain.timeout("PT0.5S")).hasMessageContaining("PT1S to PT1H");
        assertThatThrownBy(() -> LocalDrain.timeout("PT2H")).hasMessageContaining("PT1S to PT1H");
    }
}
