package io.orchestr.node.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClaimWindowTest {
    private final ClaimWindow window = new ClaimWindow(2);

    @Test
    void jobsBeyondTheWindowWaitAndGoOutInOrderAsPlacesFree() {
        HeldJob a = job(1);
        HeldJob b = job(2);
        HeldJob c = job(3);
        HeldJob d = job(4);

        assertThat(window.admit(a)).isTrue();
        assertThat(window.admit(b)).isTrue();
        assertThat(window.admit(c)).as("third of a window of two").isFalse();
        assertThat(window.admit(d)).isFalse();

        assertThat(window.release(a, job -> true)).contains(c);
        assertThat(window.release(b, job -> true)).contains(d);
        assertThat(window.release(c, job -> true)).isEmpty();
    }

    @Test
    void waitingJobsHandedBackMeanwhileAreSkippedAndReleasingAJobNotInFlightFreesNothing() {
        HeldJob a = job(1);
        HeldJob b = job(2);
        HeldJob gone = job(3);
        HeldJob next = job(4);
        window.admit(a);
        window.admit(b);
        window.admit(gone);
        window.admit(next);

        assertThat(window.release(gone, job -> true)).as("never in flight").isEmpty();
        assertThat(window.release(a, job -> job != gone)).contains(next);
        assertThat(window.admit(job(5))).as("the window is full again").isFalse();
    }

    @Test
    void aJobAdmittedAtOnceGoesAheadOfTheWaitingOnesEvenInAFullWindow() {
        HeldJob a = job(1);
        HeldJob b = job(2);
        HeldJob waiting = job(3);
        HeldJob cancelled = job(4);
        window.admit(a);
        window.admit(b);
        window.admit(waiting);
        window.admit(cancelled);

        assertThat(window.admitNow(cancelled)).isTrue();
        assertThat(window.admitNow(cancelled)).as("in flight already").isFalse();
        assertThat(window.release(cancelled, job -> true)).as("the window was over-full").isEmpty();
        assertThat(window.release(a, job -> true)).contains(waiting);
    }

    private static HeldJob job(int number) {
        return new RecordingEffects().job(number);
    }
}
