package io.orchestr.node;

import io.orchestr.node.RestartPolicy.Ending;
import io.orchestr.shared.RestartMode;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RestartPolicyTest {
    private final RestartPolicy defaults = RestartPolicy.defaults();

    @Test
    void onFailureRestartsAThrowAndCompletesAReturn() {
        assertThat(defaults.restartDelay(RestartMode.ON_FAILURE, Ending.THREW, 0)).contains(Duration.ofSeconds(1));
        assertThat(defaults.restartDelay(RestartMode.ON_FAILURE, Ending.RETURNED, 0)).isEmpty();
    }

    @Test
    void alwaysRestartsWhateverTheEnding() {
        assertThat(defaults.restartDelay(RestartMode.ALWAYS, Ending.RETURNED, 0)).isPresent();
        assertThat(defaults.restartDelay(RestartMode.ALWAYS, Ending.THREW, 0)).isPresent();
    }

    @Test
    void neverRestartsAnything() {
        assertThat(defaults.restartDelay(RestartMode.NEVER, Ending.THREW, 0)).isEmpty();
        assertThat(defaults.restartDelay(RestartMode.NEVER, Ending.RETURNED, 0)).isEmpty();
    }

    @Test
    void theDefaultDelayDoublesFrom1sUpTo60s() {
        assertThat(defaults.restartDelay(RestartMode.ALWAYS, Ending.THREW, 1)).contains(Duration.ofSeconds(2));
        assertThat(defaults.restartDelay(RestartMode.ALWAYS, Ending.THREW, 5)).contains(Duration.ofSeconds(32));
        assertThat(defaults.restartDelay(RestartMode.ALWAYS, Ending.THREW, 6)).contains(Duration.ofSeconds(60));
        assertThat(defaults.restartDelay(RestartMode.ALWAYS, Ending.THREW, 500)).contains(Duration.ofSeconds(60));
    }
}
