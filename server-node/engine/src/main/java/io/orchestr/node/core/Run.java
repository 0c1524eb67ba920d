package io.orchestr.node.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestr.node.JobDataException;
import io.orchestr.node.JobHandler;
import io.orchestr.shared.Progress;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** One run of a handler on a virtual thread of its own. */
final class Run {
    private final RunContext context;
    private final Thread thread;

    private Run(JobHandler handler, RunContext context, BiConsumer<Run, Throwable> onEnd) {
        this.context = context;
        this.thread = Thread.ofVirtual().name("orchestr-job-" + context.jobName()).unstarted(() -> {
            Throwable failure = null;
            try {
                handler.run(context);
                // a result refused by ctx.result() fails the run even when the handler caught the refusal
                failure = context.data().refusal().map(why -> new JobDataException(why, null)).orElse(null);
            } catch (Throwable t) { // a handler's failure of any kind is the job's business, never the node's
                failure = t;
            } finally {
                context.closeOutput(); // before the end is reported: a reader that sees the run ended has it all
            }
            onEnd.accept(this, failure);
        });
    }

    /**
     * Starts {@code handler}; {@code onStart} gets the run before its thread starts, {@code onEnd} gets it on that
     * thread with what it threw (null when it returned).
     */
    static Run start(JobHandler handler, RunContext context, Consumer<Run> onStart, BiConsumer<Run, Throwable> onEnd) {
        Run run = new Run(handler, context, onEnd);
        onStart.accept(run);
        run.thread.start();
        return run;
    }

    void cancel() {
        context.cancel();
    }

    void interrupt() {
        thread.interrupt();
    }

    boolean isAlive() {
        return thread.isAlive();
    }

    /** Asks the handler to stop and interrupts its thread. Thread-safe. */
    void stopAtOnce() {
        cancel();
        interrupt();
    }

    /** True once the incarnation's lease lapsed: an end of the run then means nothing but the fence. */
    boolean fenced() {
        return context.leaseLapsed();
    }

    /** The result the handler left, if any. */
    Optional<JsonNode> result() {
        return context.data().result();
    }

    /** The handler's last progress report; null before its first. */
    Progress progress() {
        return context.data().progress();
    }

    Duration sinceStart() {
        return context.sinceStart();
    }

    Instant lastHeartbeat() {
        return context.lastHeartbeat();
    }

    Duration sinceHeartbeat() {
        return context.sinceHeartbeat();
    }
}
