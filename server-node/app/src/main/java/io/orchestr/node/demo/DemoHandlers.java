package io.orchestr.node.demo;

import io.orchestr.node.JobHandler;
import io.orchestr.node.quarkus.JobType;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * The demo types of the runnable node, served only with {@code orchestr.node.demo=true}
 * ({@code ORCHESTR_NODE_DEMO=true}):
 * <ul>
 *   <li>{@code default} and {@code ticker}: tick until cancelled;</li>
 *   <li>{@code finite}: return (complete) after {@code ticks=<n>} ticks, 10 by default;</li>
 *   <li>{@code failing}: throw after {@code failAfter=<n>} ticks, 1 by default;</li>
 *   <li>{@code hang}: stop heartbeating (and writing lines) after {@code hangAfter=<n>} ticks, 1 by default, and
 *   wait for its cancellation: with a heartbeat timeout, the node stops and restarts it;</li>
 *   <li>{@code count}: typed params {@code {"count": n, "tickMillis"?: ms}}, progress at each tick, and the result
 *   {@code {"count", "sum", "nodeName", "group"?, "index"?}} ({@link CountingJob}; group and index for a run of a
 *   fan-out); it ignores the argument;</li>
 *   <li>{@code resume-count}: typed params {@code {"count"?: n, "tickMillis"?: ms}}; counts up by one per tick,
 *   storing its counter as the job's checkpoint {@code {"counter": n}} at each, and starts from the last
 *   checkpoint; completes with {@code {"counter": n}} once it reaches {@code count}, never without
 *   ({@link ResumingCounterJob}); it ignores the argument;</li>
 *   <li>{@code halt}: halts its node's JVM ({@code Runtime.halt}) as soon as it runs, a node crash for crash-loop
 *   quarantine; with {@code halt=false} in its argument it ticks as {@code ticker} ({@link HaltingJob});</li>
 *   <li>{@code print}: typed params {@code {"lines"?: n, "tickMillis"?: ms}}; prints one line per tick to the run's
 *   output ({@code ctx.output()}, {@code GET /api/jobs/{id}/output}) and completes after {@code lines} lines, or
 *   prints until cancelled without ({@link PrintingJob}); it ignores the argument.</li>
 * </ul>
 * The argument of the others is {@code key=value} pairs separated by {@code ;}, e.g.
 * {@code file=t.log;tickMillis=200}. Every handler ticks every {@code tickMillis} ms (500 by default), calling
 * {@code ctx.heartbeat()} at each tick. With {@code file=<path>} it appends one line
 * {@code <epochMillis> <jobName> <nodeName> <nodeId> <epoch>} to that file at start and at every tick, so that tests
 * can see which node ran the job, when, and under which epoch. With {@code stopMillis=<n>} a handler that sees its
 * cancellation takes that long to stop (a handler flushing its work, say), still ticking, unless interrupted first
 * (the node's cancel grace). The file must be in the demo directory,
 * {@code orchestr.node.demo.dir} ({@code ORCHESTR_NODE_DEMO_DIR}, the working folder by default; a relative path is
 * taken inside it): a run asked to write anywhere else fails at once, having written nothing.
 */
@Singleton
public class DemoHandlers {
    private static final String DEMO = "orchestr.node.demo";
    private static final Logger LOG = LoggerFactory.getLogger(DemoHandlers.class);

    private final DemoFiles files;

    DemoHandlers(@ConfigProperty(name = "orchestr.node.demo.dir", defaultValue = ".") String dir) {
        this.files = new DemoFiles(Path.of(dir));
        LOG.info("The demo types write their files only under {} (ORCHESTR_NODE_DEMO_DIR)", files.root());
    }

    @Produces
    @Singleton
    @JobType("default")
    @LookupIfProperty(name = DEMO, stringValue = "true")
    JobHandler defaultType() {
        return TickingJob.infinite(files);
    }

    @Produces
    @Singleton
    @JobType("ticker")
    @LookupIfProperty(name = DEMO, stringValue = "true")
    JobHandler ticker() {
        return TickingJob.infinite(files);
    }

    @Produces
    @Singleton
    @JobType("finite")
    @LookupIfProperty(name = DEMO, stringValue = "true")
    JobHandler finite() {
        return TickingJob.finite(files);
    }

    @Produces
    @Singleton
    @JobType("failing")
    @LookupIfProperty(name = DEMO, stringValue = "true")
    JobHandler failing() {
        return TickingJob.failing(files);
    }

    @Produces
    @Singleton
    @JobType("hang")
    @LookupIfProperty(name = DEMO, stringValue = "true")
    JobHandler hang() {
        return TickingJob.hanging(files);
    }

    @Produces
    @Singleton
    @JobType("count")
    @LookupIfProperty(name = DEMO, stringValue = "true")
    JobHandler count() {
        return new CountingJob();
    }

    @Produces
    @Singleton
    @JobType("resume-count")
    @LookupIfProperty(name = DEMO, stringValue = "true")
    JobHandler resumeCount() {
        return new ResumingCounterJob();
    }

    @Produces
    @Singleton
    @JobType("halt")
    @LookupIfProperty(name = DEMO, stringValue = "true")
    JobHandler halt() {
        return HaltingJob.halting(files);
    }

    @Produces
    @Singleton
    @JobType("print")
    @LookupIfProperty(name = DEMO, stringValue = "true")
    JobHandler print() {
        return new PrintingJob();
    }
}
