package io.orchestr.manager.feed;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One open event stream: its sink, the jobs whose views it asked for, and where it resumes. The feed's tick alone
 * sends to it, without waiting for the network: a browser that reads too slowly to keep up (more than
 * {@link #MAX_UNSENT} events not yet written) is cut off, and its {@code EventSource} reconnects and resumes.
 */
final class Subscriber {
    static final int MAX_UNSENT = 2000;

    private final SseEventSink sink;
    private final Set<UUID> watched;
    private final AtomicInteger unsent = new AtomicInteger();
    private volatile boolean failed;
    private Long resumeAfter;

    /**
     * @param resumeAfter the last event it saw before it reconnected ({@code Last-Event-ID}), or null: the feed
     *                    first sends it what came after that
     */
    Subscriber(SseEventSink sink, Set<UUID> watched, Long resumeAfter) {
        this.sink = sink;
        this.watched = Set.copyOf(watched);
        this.resumeAfter = resumeAfter;
    }

    Set<UUID> watched() {
        return watched;
    }

    /** Where to resume, once: null after the first call. */
    Long takeResumeAfter() {
        Long after = resumeAfter;
        resumeAfter = null;
        return after;
    }

    /** Whether the browser is still there and keeping up. */
    boolean open() {
        return !failed && !sink.isClosed();
    }

    void send(OutboundSseEvent event) {
        if (!open()) {
            return;
        }
        if (unsent.incrementAndGet() > MAX_UNSENT) {
            close();
            return;
        }
        sink.send(event).whenComplete((done, error) -> {
            unsent.decrementAndGet();
            if (error != null) {
                failed = true;
            }
        });
    }

    void close() {
        failed = true;
        try {
            sink.close();
        } catch (RuntimeException alreadyGone) {
            // the connection is gone either way
        }
    }
}
