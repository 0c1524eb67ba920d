package io.orchestr.node.testkit;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobRunTest {
    @Test
    void aCooperativeHandlerHeartbeatsUntilCancelledAndThenReturns() {
        try (JobRun run = JobRun.of(ctx -> {
            while (!ctx.awaitCancellation(Duration.ofMillis(5))) {
                ctx.heartbeat();
            }
        }).argument("shop=eu").start()) {
            run.awaitHeartbeats(3, Duration.ofSeconds(5));

            Ending ending = run.stop(Duration.ofSeconds(5));

            assertThat(ending.returned()).isTrue();
            assertThat(ending.cancelled()).isTrue();
            assertThat(ending.interrupted()).isFalse();
            assertThat(run.heartbeats()).isGreaterThanOrEqualTo(3);
            assertThat(run.lastHeartbeat()).isPresent();
            assertThat(run.context().argument()).isEqualTo("shop=eu");
        }
    }

    @Test
    void aHandlerThatIgnoresItsCancelIsInterruptedAfterTheGrace() {
        try (JobRun run = JobRun.of(ctx -> new CountDownLatch(1).await()).start()) {
            Ending ending = run.stop(Duration.ofMillis(100));

            assertThat(ending.threw()).isTrue();
            assertThat(ending.error()).get().isInstanceOf(InterruptedException.class);
            assertThat(ending.interrupted()).isTrue();
        }
    }

    @Test
    void aFailingHandlerEndsWithWhatItThrew() {
        Ending ending = JobRun.of(ctx -> {
            throw new IllegalStateException("cannot reach " + ctx.argument());
        }).argument("orders-db").runToEnd(Duration.ofSeconds(5));

        assertThat(ending.error()).get().isInstanceOf(IllegalStateException.class)
                .hasFieldOrPropertyWithValue("message", "cannot reach orders-db");
        assertThat(ending.cancelled()).isFalse();
    }

    @Test
    void waitingForHeartbeatsThatNeverComeFailsWithWhatWasSeen() {
        try (JobRun run = JobRun.of(ctx -> ctx.awaitCancellation(Duration.ofMinutes(5))).start()) {
            assertThatThrownBy(() -> run.awaitHeartbeats(1, Duration.ofMillis(50)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("sent 0 heartbeats, not 1");
        }
    }
}
