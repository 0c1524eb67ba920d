package io.orchestr.node.demo;

import io.orchestr.node.JobHandler;
import io.orchestr.node.testkit.Ending;
import io.orchestr.node.testkit.JobRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class TickingJobTest {
    private static final Duration DEADLINE = Duration.ofSeconds(5);
    private static final UUID NODE_ID = UUID.randomUUID();

    @TempDir
    Path dir;

    private DemoFiles files;

    @BeforeEach
    void confine() {
        files = new DemoFiles(dir);
    }

    @Test
    void aFiniteJobWritesALineAtStartAndPerTickThenReturns() throws Exception {
        Path file = dir.resolve("t.log");
        try (JobRun run = run(TickingJob.finite(files), "file=" + file + ";tickMillis=10;ticks=3").start()) {
            Ending ending = run.awaitEnd(DEADLINE);

            assertThat(ending.returned()).isTrue();
            assertThat(Files.readAllLines(file)).hasSize(4).allSatisfy(line ->
                    assertThat(line).matches("\\d+ job-1 node-a " + NODE_ID + " 7"));
            assertThat(run.heartbeats()).isEqualTo(3);
        }
    }

    @Test
    void aFailingJobThrowsAfterItsTicks() {
        Ending ending = run(TickingJob.failing(files), "tickMillis=10;failAfter=2").runToEnd(DEADLINE);

        assertThat(ending.error()).get().isInstanceOf(IllegalStateException.class)
                .extracting(Throwable::getMessage).asString().contains("fails after 2 ticks");
    }

    @Test
    void aHangingJobStopsHeartbeatingAfterItsTicksButStillSeesItsCancellation() {
        try (JobRun run = run(TickingJob.hanging(files), "tickMillis=10;hangAfter=2").start()) {
            run.awaitHeartbeats(2, DEADLINE);
            await().during(Duration.ofMillis(200)).atMost(DEADLINE).until(() -> run.heartbeats() == 2);
            assertThat(run.hasEnded()).isFalse();

            run.cancel();

            Ending ending = run.awaitEnd(DEADLINE);
            assertThat(ending.returned()).isTrue();
            assertThat(ending.interrupted()).isFalse();
        }
    }

    @Test
    void aTickerShowsItsStartAtOnceAndRunsUntilItSeesItsCancellation() throws Exception {
        Path file = dir.resolve("ticker.log");
        try (JobRun run = run(TickingJob.infinite(files), "file=" + file + ";tickMillis=60000").start()) {
            await().atMost(DEADLINE).until(() -> Files.exists(file) && Files.readAllLines(file).size() == 1);

            run.cancel();

            assertThat(run.awaitEnd(DEADLINE).interrupted()).isFalse();
            List<String> lines = Files.readAllLines(file);
            assertThat(lines).hasSize(2);
            assertThat(lines.get(0)).doesNotEndWith("cancelled");
            assertThat(lines.get(1)).endsWith(" job-1 node-a " + NODE_ID + " 7 cancelled");
        }
    }

    @Test
    void aRunAskedToWriteOutsideTheDemoDirectoryFailsAtOnceHavingWrittenNothing(@TempDir Path elsewhere)
            throws Exception {
        Path target = Files.writeString(elsewhere.resolve("bashrc"), "# the node user's shell start-up file\n");

        Ending ending = run(TickingJob.infinite(files), "file=" + target + ";tickMillis=10")
                .runToEnd(DEADLINE);

        assertThat(ending.error()).get().isInstanceOf(IllegalArgumentException.class)
                .extracting(Throwable::getMessage).asString()
                .contains("file=" + target + " is outside the demo directory " + dir.toRealPath());
        assertThat(Files.readString(target)).isEqualTo("# the node user's shell start-up file\n");
    }

    private static JobRun.Builder run(JobHandler handler, String argument) {
        return JobRun.of(handler).jobName("job-1").type("ticker").epoch(7).nodeName("node-a").nodeId(NODE_ID)
                .argument(argument);
    }
}
