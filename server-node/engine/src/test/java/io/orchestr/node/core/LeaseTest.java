package io.orchestr.node.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class LeaseTest {
    private final AtomicLong nanos = new AtomicLong(1_000);
    private final Lease lease = new Lease(Duration.ofSeconds(6), nanos::get);

    private void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

    @Test
    void aNodeWhosePublishesAreConfirmedKeepsItsLease() {
        for (int i = 0; i < 20; i++) {
            advance(Duration.ofSeconds(1));
            lease.proved(lease.now());
            assertThat(lease.lapsed()).isFalse();
        }
    }

    @Test
    void aLeaseDoesNotLapseWhileTheBrokerBlocksTheConnectionAndRunsAgainFromTheUnblock() {
        advance(Duration.ofSeconds(5));
        lease.blocked();
        advance(Duration.ofMinutes(10));
        assertThat(lease.lapsed()).as("blocked by a resource alarm: the broker requeues nothing").isFalse();
        assertThat(lease.remainingNanos()).isPositive();

        lease.unblocked();
        advance(Duration.ofSeconds(6));
        assertThat(lease.lapsed()).as("6 s after the unblock").isFalse();
        advance(Duration.ofMillis(1));
        assertThat(lease.lapsed()).as("the unblock proved the connection once, no more").isTrue();
    }

    @Test
    void theLeaseLapsesOnceNothingWasConfirmedForLongerThanTheTimeout() {
        advance(Duration.ofSeconds(6));
        assertThat(lease.lapsed()).isFalse();
        assertThat(lease.remainingNanos()).isZero();

        advance(Duration.ofMillis(1));

        assertThat(lease.lapsed()).isTrue();
        assertThat(lease.silence()).isEqualTo(Duration.ofMillis(6001));
    }

    @Test
    void aLateConfirmProvesOnlyTheTimeItsPublishWasSent() {
        long sentAt = lease.now();
        advance(Duration.ofSeconds(7));

        lease.proved(sentAt); // confirmed only now, but proves nothing newer than its sending

        assertThat(lease.lapsed()).isTrue();
    }

    @Test
    void anOlderProofArrivingLateDoesNotWindTheLeaseBack() {
        long older = lease.now();
        advance(Duration.ofSeconds(5));
        lease.proved(lease.now());
        lease.proved(older);

        advance(Duration.ofSeconds(5));

        assertThat(lease.lapsed()).isFalse();
        assertThat(lease.remainingNanos()).isEqualTo(Duration.ofSeconds(1).toNanos());
    }

    @Test
    void aLapsedLeaseStaysLapsedEvenIfAConfirmArrivesAfterwards() {
        long sentJustBefore = lease.now() + Duration.ofSeconds(2).toNanos();
        advance(Duration.ofMillis(6_100));
        assertThat(lease.lapsed()).isTrue();

        lease.proved(sentJustBefore);

        assertThat(lease.lapsed()).isTrue();
        assertThat(lease.remainingNanos()).isZero();
    }

    @Test
    void theLatestSafeFenceLeavesTheCheckPeriodAndAMarginBeforeTheBrokerGivesUp() {
        assertThat(Lease.latestSafeFence(Duration.ofSeconds(5))).isEqualTo(Duration.ofMillis(9_400));
        assertThat(Lease.latestSafeFence(Duration.ofSeconds(2))).isEqualTo(Duration.ofMillis(3_400));
    }

    @Test
    void aBrokerThatNegotiatedALowerHeartbeatShortensTheFence() {
        assertThat(Lease.timeoutFor(Duration.ofSeconds(6), Duration.ofSeconds(5)))
                .isEqualTo(Duration.ofSeconds(6));
        assertThat(Lease.timeoutFor(Duration.ofSeconds(6), Duration.ofSeconds(3)))
                .as("the broker gives the node up 6 s after its last byte").isEqualTo(Duration.ofMillis(5_400));
        assertThat(Lease.timeoutFor(Duration.ofSeconds(6), Duration.ZERO))
                .as("no heartbeat: the broker never times the node out").isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void theLowestHeartbeatABrokerCanNegotiateStillLeavesAFenceAboveTheShortest() {
        assertThat(Lease.timeoutFor(Duration.ofSeconds(6), Duration.ofSeconds(1)))
                .isEqualTo(Duration.ofMillis(1_400)).isGreaterThan(Lease.SHORTEST);
    }
}
