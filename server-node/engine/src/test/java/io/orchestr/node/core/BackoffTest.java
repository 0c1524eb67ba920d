package io.orchestr.node.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {

    @Test
    void claimsAreResentAfter200msDoublingUpTo5s() {
        assertThat(Backoff.CLAIM.delay(0)).isEqualTo(Duration.ofMillis(200));
        assertThat(Backoff.CLAIM.delay(1)).isEqualTo(Duration.ofMillis(400));
        assertThat(Backoff.CLAIM.delay(4)).isEqualTo(Duration.ofMillis(3200));
        assertThat(Backoff.CLAIM.delay(5)).isEqualTo(Duration.ofSeconds(5));
        assertThat(Backoff.CLAIM.delay(1_000_000)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void reconnectsWait1sDoublingUpTo30s() {
        assertThat(Backoff.RECONNECT.delay(0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(Backoff.RECONNECT.delay(3)).isEqualTo(Duration.ofSeconds(8));
        assertThat(Backoff.RECONNECT.delay(5)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aBackoffThatStartsAtZeroOrEndsBelowItsStartIsRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("above zero");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("below its first delay");
    }
}
