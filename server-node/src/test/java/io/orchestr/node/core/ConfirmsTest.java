package io.orchestr.node.core;

import io.orchestr.node.testing.SettableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConfirmsTest {
    private final SettableClock clock = new SettableClock();
    private final FenceWatch fence = new FenceWatch(Duration.ofSeconds(6), clock.instant());
    private final Confirms confirms = new Confirms(fence);
    private final List<String> done = new ArrayList<>();

    @Test
    void aConfirmRunsTheActionOfThatPublishOnly() {
        confirms.published(1, clock.instant(), "one", () -> done.add("one"));
        confirms.published(2, clock.instant(), "two", () -> done.add("two"));

        confirms.confirmed(2, false, true);

        assertThat(done).containsExactly("two");
    }

    @Test
    void aMultipleConfirmSettlesEveryEarlierPublishInOrder() {
        confirms.published(1, clock.instant(), "one", () -> done.add("one"));
        confirms.published(2, clock.instant(), "two", () -> done.add("two"));
        confirms.published(3, clock.instant(), "three", () -> done.add("three"));

        confirms.confirmed(2, true, true);
        confirms.confirmed(2, true, true); // repeated: nothing left to settle

        assertThat(done).containsExactly("one", "two");
    }

    @Test
    void anyConfirmKeepsTheFenceAwayEvenARefusal() {
        clock.advance(Duration.ofSeconds(5));
        confirms.published(1, clock.instant(), "snapshot", () -> done.add("snapshot"));
        clock.advance(Duration.ofSeconds(5));

        confirms.confirmed(1, false, false);

        assertThat(fence.mustFence(clock.instant())).isFalse();
        assertThat(done).containsExactly("snapshot");
    }

    @Test
    void waitingForAllConfirmsSettlesEverythingPending() {
        confirms.published(7, clock.instant(), "a", () -> done.add("a"));
        confirms.published(8, clock.instant(), "b", () -> done.add("b"));

        confirms.confirmedAll();
        confirms.confirmed(8, true, true);

        assertThat(done).containsExactly("a", "b");
    }
}
