package io.orchestr.node.demo;

import io.orchestr.node.JobContext;
import io.orchestr.node.JobHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class TickingJobTest {
    @TempDir
    Path dir;

    @Test
    void aFiniteJobWritesALineAtStartAndPerTickThenReturns() throws Exception {
        Path file = dir.resolve("t.log");
        StubContext ctx = new StubContext("file=" + file + ";tickMillis=10;ticks=3");

        TickingJob.finite().run(ctx);

        assertThat(Files.readAllLines(file)).hasSize(4).allSatisfy(line ->
                assertThat(line).matches("\\d+ job-1 node-a " + ctx.nodeId() + " 7"));
        assertThat(ctx.heartbeats.get()).isEqualTo(3);
    }

    @Test
    void aFailingJobThrowsAfterItsTicks() {
        StubContext ctx = new StubContext("tickMillis=10;failAfter=2");

        assertThatThrownBy(() -> TickingJob.failing().run(ctx))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("fails after 2 ticks");
    }

    @Test
    void aHangingJobStopsHeartbeatingAfterItsTicksButStillSeesItsCancellation() throws Exception {
        StubContext ctx = new StubContext("tickMillis=10;hangAfter=2");
        CompletableFuture<Void> run = inBackground(TickingJob.hanging(), ctx);

        await().atMost(Duration.ofSeconds(5)).until(() -> ctx.heartbeats.get() == 2);
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> ctx.heartbeats.get() == 2);
        assertThat(run).isNotDone();
        ctx.cancelled.countDown();

        run.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aTickerShowsItsStartAtOnceAndRunsUntilItSeesItsCancellation() throws Exception {
        Path file = dir.resolve("ticker.log");
        StubContext ctx = new StubContext("file=" + file + ";tickMillis=60000");
        CompletableFuture<Void> run = inBackground(TickingJob.infinite(), ctx);

        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(file) && Files.readAllLines(file).size() == 1);
        ctx.cancelled.countDown();

        run.get(5, TimeUnit.SECONDS);
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).doesNotEndWith("cancelled");
        assertThat(lines.get(1)).endsWith(" job-1 node-a " + ctx.nodeId() + " 7 cancelled");
    }

    private static CompletableFuture<Void> inBackground(JobHandler handler, StubContext ctx) {
        return CompletableFuture.runAsync(() -> {
            try {
                handler.run(ctx);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static final class StubContext implements JobContext {
        final CountDownLatch cancelled = new CountDownLatch(1);
        final AtomicInteger heartbeats = new AtomicInteger();
        private final String argument;
        private final UUID nodeId = UUID.randomUUID();

        StubContext(String argument) {
            this.argument = argument;
        }

        @Override
        public UUID jobId() {
            return UUID.nameUUIDFromBytes(new byte[] {1});
        }

        @Override
        public String jobName() {
            return "job-1";
        }

        @Override
        public String argument() {
            return argument;
        }

        @Override
        public String type() {
            return "ticker";
        }

        @Override
        public long epoch() {
            return 7;
        }

        @Override
        public String nodeName() {
            return "node-a";
        }

        @Override
        public UUID nodeId() {
            return nodeId;
        }

        @Override
        public boolean isCancelled() {
            return cancelled.getCount() == 0;
        }

        @Override
        public boolean awaitCancellation(Duration timeout) {
            try {
                return cancelled.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }

        @Override
        public void heartbeat() {
            heartbeats.incrementAndGet();
        }
    }
}
