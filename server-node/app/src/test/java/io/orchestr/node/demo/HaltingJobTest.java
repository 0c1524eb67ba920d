package io.orchestr.node.demo;

import io.orchestr.node.testkit.Ending;
import io.orchestr.node.testkit.JobRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class HaltingJobTest {
    private static final Duration DEADLINE = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private final AtomicInteger halts = new AtomicInteger();

    @Test
    void itHaltsTheNodeAsSoonAsItRuns() {
        Ending ending = run("").runToEnd(DEADLINE);

        assertThat(halts).hasValue(1);
        assertThat(ending.error()).as("only a test's halt returns").isPresent();
    }

    @Test
    void withHaltFalseItTicksUntilCancelledAndHaltsNothing() {
        Path file = dir.resolve("fixed.log");
        try (JobRun run = run("halt=false;tickMillis=10;file=" + file).start()) {
            run.awaitHeartbeats(2, DEADLINE);
            await().atMost(DEADLINE).until(() -> Files.exists(file));

            run.cancel();

            assertThat(run.awaitEnd(DEADLINE).returned()).isTrue();
            assertThat(halts).hasValue(0);
        }
    }

    private JobRun.Builder run(String argument) {
        return JobRun.of(new HaltingJob(new DemoFiles(dir), halts::incrementAndGet)).jobName("job-1").type("halt")
                .argument(argument);
    }
}
