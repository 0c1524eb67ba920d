package io.orchestr.node.core;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Fences the current incarnation the moment its {@link Lease} lapses, on a platform thread of its own: the engine
 * thread may be the one that cannot move (blocked in a publish on a partitioned socket, or late after the process
 * was frozen), and the fence must not wait for it. Thread-safe.
 */
final class FenceWatchdog {
    private final ScheduledExecutorService timer;
    private final Consumer<Incarnation> onLapse;
    private final AtomicReference<Incarnation> watched = new AtomicReference<>();

    /** {@code onLapse} runs on the watchdog's thread once per lapsed incarnation, and must not block. */
    FenceWatchdog(String nodeName, Consumer<Incarnation> onLapse) {
        this.onLapse = onLapse;
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "orchestr-fence-" + nodeName);
            thread.setDaemon(true);
            return thread;
        });
        long period = Lease.CHECK_PERIOD.toNanos();
        timer.scheduleAtFixedRate(this::check, period, period, TimeUnit.NANOSECONDS);
    }

    /** From now on watches {@code incarnation}'s lease; null watches nothing. */
    void watch(Incarnation incarnation) {
        watched.set(incarnation);
    }

    void shutdown() {
        timer.shutdownNow();
    }

    private void check() {
        Incarnation incarnation = watched.get();
        // the compare keeps a new incarnation, watched meanwhile, from being unwatched by its predecessor's lapse
        if (incarnation != null && incarnation.lease().lapsed() && watched.compareAndSet(incarnation, null)) {
            onLapse.accept(incarnation);
        }
    }
}
