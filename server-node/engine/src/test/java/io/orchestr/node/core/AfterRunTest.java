package io.orchestr.node.core;

import io.orchestr.shared.wire.ToManager.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class AfterRunTest {
    private static final Optional<Duration> RESTART = Optional.of(Duration.ofSeconds(2));

    @Test
    void withoutAMaximumTheRestartPolicyDecides() {
        assertThat(AfterRun.decide(RESTART, null, 1_000, "boom"))
                .isEqualTo(new AfterRun.Restart(Duration.ofSeconds(2)));
        assertThat(AfterRun.decide(Optional.empty(), null, 0, "boom"))
                .isEqualTo(new AfterRun.End(Outcome.FAILED, "boom"));
        assertThat(AfterRun.decide(Optional.empty(), null, 0, null))
                .isEqualTo(new AfterRun.End(Outcome.COMPLETED, null));
    }

    @Test
    void belowTheMaximumTheHandlerIsRestarted() {
        assertThat(AfterRun.decide(RESTART, 2, 1, "boom")).isEqualTo(new AfterRun.Restart(Duration.ofSeconds(2)));
    }

    @Test
    void atTheMaximumAThrowFailsTheJobSayingTheMaximumWasReached() {
        assertThat(AfterRun.decide(RESTART, 2, 2, "boom"))
                .isEqualTo(new AfterRun.End(Outcome.FAILED, "boom; maximum of 2 restarts reached"));
    }

    @Test
    void atTheMaximumAReturnCompletesTheJobSayingTheMaximumWasReached() {
        assertThat(AfterRun.decide(RESTART, 0, 0, null))
                .isEqualTo(new AfterRun.End(Outcome.COMPLETED, "maximum of 0 restarts reached"));
    }

    @Test
    void whenThePolicyGivesUpTheMaximumAddsNothing() {
        assertThat(AfterRun.decide(Optional.empty(), 2, 2, "boom")).isEqualTo(new AfterRun.End(Outcome.FAILED, "boom"));
    }
}
