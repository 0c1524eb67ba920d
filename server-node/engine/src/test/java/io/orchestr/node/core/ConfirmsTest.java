package io.orchestr.node.core;

import io.orchestr.node.NodeListener;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ConfirmsTest {
    private final AtomicLong nanos = new AtomicLong();
    private final Lease lease = new Lease(Duration.ofSeconds(6), nanos::get);
    private final List<Runnable> engine = new ArrayList<>();
    private final List<Duration> latencies = new ArrayList<>();
    private final Confirms confirms = new Confirms(lease, engine::add, new NodeListener() {
        @Override
        public void confirmed(Duration latency) {
            latencies.add(latency);
        }
    });
    private final List<String> done = new ArrayList<>();

    private void runEngine() {
        engine.forEach(Runnable::run);
        engine.clear();
    }

    @Test
    void aConfirmRunsTheActionOfThatPublishOnly() {
        confirms.published(1, lease.now(), "one", () -> done.add("one"));
        confirms.published(2, lease.now(), "two", () -> done.add("two"));

        confirms.confirmed(2, false, true);
        runEngine();

        assertThat(done).containsExactly("two");
    }

    @Test
    void theListenerHearsEachConfirmsLatencyOnTheEngineThread() {
        confirms.published(1, lease.now(), "one", () -> done.add("one"));
        nanos.addAndGet(Duration.ofMillis(30).toNanos());
        confirms.published(2, lease.now(), "two", () -> done.add("two"));
        nanos.addAndGet(Duration.ofMillis(20).toNanos());

        confirms.confirmed(2, true, true);
        assertThat(latencies).isEmpty();
        runEngine();

        assertThat(latencies).containsExactly(Duration.ofMillis(50), Duration.ofMillis(20));
    }

    @Test
    void aMultipleConfirmSettlesEveryEarlierPublishInOrder() {
        confirms.published(1, lease.now(), "one", () -> done.add("one"));
        confirms.published(2, lease.now(), "two", () -> done.add("two"));
        confirms.published(3, lease.now(), "three", () -> done.add("three"));

        confirms.confirmed(2, true, true);
        confirms.confirmed(2, true, true); // repeated: nothing left to settle
        runEngine();

        assertThat(done).containsExactly("one", "two");
    }

    @Test
    void aConfirmRenewsTheLeaseAtOnceWithoutTheEngineThread() {
        nanos.addAndGet(Duration.ofSeconds(5).toNanos());
        confirms.published(1, lease.now(), "snapshot", () -> done.add("snapshot"));
        nanos.addAndGet(Duration.ofSeconds(5).toNanos());

        confirms.confirmed(1, false, false); // even a refusal is a round trip

        assertThat(lease.lapsed()).isFalse();
        assertThat(done).isEmpty(); // the follow-up waits for the engine thread
        runEngine();
        assertThat(done).containsExactly("snapshot");
    }

    @Test
    void aPublishThatNeverWentOutIsForgotten() {
        confirms.published(4, lease.now(), "lost", () -> done.add("lost"));
        confirms.forget(4);

        confirms.confirmed(4, true, true);
        runEngine();

        assertThat(done).isEmpty();
    }

    @Test
    void waitingForAllConfirmsSettlesEverythingPending() {
        confirms.published(7, lease.now(), "a", () -> done.add("a"));
        confirms.published(8, lease.now(), "b", () -> done.add("b"));

        confirms.confirmedAll();
        confirms.confirmed(8, true, true);
        runEngine();

        assertThat(done).containsExactly("a", "b");
    }
}
