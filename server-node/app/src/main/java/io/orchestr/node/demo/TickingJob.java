package io.orchestr.node.demo;

import io.orchestr.node.JobContext;
import io.orchestr.node.JobHandler;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A demo handler that ticks until cancelled, or until a given tick count when it is finite or failing; a hanging
 * one goes on without heartbeats after its tick count. See {@link DemoHandlers} for the argument keys and the line
 * it appends per tick; its file must be in the demo directory ({@link DemoFiles}), or the run fails at once.
 */
final class TickingJob implements JobHandler {
    static final long DEFAULT_TICK_MILLIS = 500;

    private enum Kind { INFINITE, FINITE, FAILING, HANGING }

    private final Kind kind;
    private final DemoFiles files;

    private TickingJob(Kind kind, DemoFiles files) {
        this.kind = kind;
        this.files = files;
    }

    static TickingJob infinite(DemoFiles files) {
        return new TickingJob(Kind.INFINITE, files);
    }

    /** Returns after {@code ticks=<n>} ticks (10 by default). */
    static TickingJob finite(DemoFiles files) {
        return new TickingJob(Kind.FINITE, files);
    }

    /** Throws after {@code failAfter=<n>} ticks (1 by default). */
    static TickingJob failing(DemoFiles files) {
        return new TickingJob(Kind.FAILING, files);
    }

    /** Stops heartbeating after {@code hangAfter=<n>} ticks (1 by default), but still sees its cancellation. */
    static TickingJob hanging(DemoFiles files) {
        return new TickingJob(Kind.HANGING, files);
    }

    @Override
    public void run(JobContext ctx) throws IOException {
        DemoArgument argument = DemoArgument.parse(ctx.argument());
        Duration tick = Duration.ofMillis(argument.number("tickMillis", DEFAULT_TICK_MILLIS));
        long limit = switch (kind) {
            case INFINITE -> Long.MAX_VALUE;
            case FINITE -> argument.number("ticks", 10);
            case FAILING -> argument.number("failAfter", 1);
            case HANGING -> argument.number("hangAfter", 1);
        };
        Optional<Path> file = argument.value("file").map(files::resolve);
        append(file, ctx, "");
        for (long ticks = 1; !ctx.awaitCancellation(tick); ticks++) {
            if (kind == Kind.HANGING && ticks > limit) {
                continue; // hung: no heartbeat and no line any more, until cancelled
            }
            ctx.heartbeat();
            append(file, ctx, "");
            if (ticks >= limit && kind != Kind.HANGING) {
                if (kind == Kind.FAILING) {
                    throw new IllegalStateException("demo job '" + ctx.jobName() + "' fails after " + ticks
                            + " ticks, as its argument asks");
                }
                return;
            }
        }
        // the last line shows that the handler saw its cancellation (tests and benchmarks time it)
        append(file, ctx, " cancelled");
        lingerAfterCancellation(argument.number("stopMillis", 0), tick, file, ctx);
    }

    /**
     * Takes {@code stopMillis} to stop, ticking on meanwhile: the slow stop tests need to act while a job is being
     * stopped. Ends early when the node interrupts the thread after its cancel grace.
     */
    private static void lingerAfterCancellation(long stopMillis, Duration tick, Optional<Path> file, JobContext ctx)
            throws IOException {
        long until = System.currentTimeMillis() + stopMillis;
        while (System.currentTimeMillis() < until) {
            try {
                Thread.sleep(Math.min(tick.toMillis(), Math.max(1, until - System.currentTimeMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            append(file, ctx, " cancelled");
        }
    }

    /**
     * One line per tick: {@code <epochMillis> <jobName> <nodeName> <nodeId> <epoch>}, and a last one ending in
     * {@code cancelled} when the handler sees its cancellation.
     */
    private static void append(Optional<Path> file, JobContext ctx, String suffix) throws IOException {
        if (file.isPresent()) {
            String line = System.currentTimeMillis() + " " + ctx.jobName() + " " + ctx.nodeName() + " "
                    + ctx.nodeId() + " " + ctx.epoch() + suffix + "\n";
            DemoFiles.append(file.get(), line);
        }
    }
}
