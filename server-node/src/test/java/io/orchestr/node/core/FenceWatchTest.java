package io.orchestr.node.core;

import io.orchestr.node.testing.SettableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class FenceWatchTest {
    private final SettableClock clock = new SettableClock();
    private final FenceWatch fence = new FenceWatch(Duration.ofSeconds(6), clock.instant());

    @Test
    void aNodeWhosePublishesAreConfirmedNeverFences() {
        for (int i = 0; i < 20; i++) {
            clock.advance(Duration.ofSeconds(1));
            fence.proved(clock.instant());
            assertThat(fence.mustFence(clock.instant())).isFalse();
        }
    }

    @Test
    void aNodeFencesOnceNothingWasConfirmedForLongerThanTheTimeout() {
        clock.advance(Duration.ofSeconds(6));
        assertThat(fence.mustFence(clock.instant())).isFalse();

        clock.advance(Duration.ofMillis(1));

        assertThat(fence.mustFence(clock.instant())).isTrue();
        assertThat(fence.silence(clock.instant())).isEqualTo(Duration.ofMillis(6001));
    }

    @Test
    void aLateConfirmProvesOnlyTheTimeItsPublishWasSent() {
        Instant sentAt = clock.instant();
        clock.advance(Duration.ofSeconds(7));

        fence.proved(sentAt); // confirmed only now, but proves nothing newer than its sending

        assertThat(fence.mustFence(clock.instant())).isTrue();
    }

    @Test
    void anOlderProofArrivingLateDoesNotWindTheWatchBack() {
        Instant older = clock.instant();
        clock.advance(Duration.ofSeconds(5));
        fence.proved(clock.instant());
        fence.proved(older);

        clock.advance(Duration.ofSeconds(5));

        assertThat(fence.mustFence(clock.instant())).isFalse();
    }
}
