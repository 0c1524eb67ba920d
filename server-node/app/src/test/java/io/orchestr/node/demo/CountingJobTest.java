package io.orchestr.node.demo;

import io.orchestr.node.JobDataException;
import io.orchestr.node.testkit.Ending;
import io.orchestr.node.testkit.JobRun;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CountingJobTest {
    private static final Duration DEADLINE = Duration.ofSeconds(5);

    @Test
    void aCountingJobReportsProgressAndCompletesWithTheSum() {
        try (JobRun run = JobRun.of(new CountingJob()).nodeName("node-a")
                .params(new CountingJob.Count(4, 10L)).start()) {
            Ending ending = run.awaitEnd(DEADLINE);

            assertThat(ending.returned()).isTrue();
            assertThat(ending.result(CountingJob.Counted.class))
                    .isEqualTo(new CountingJob.Counted(4, 10, "node-a", null, null));
            assertThat(run.progress()).get().satisfies(progress -> {
                assertThat(progress.done()).isEqualTo(4);
                assertThat(progress.total()).isEqualTo(4);
                assertThat(progress.message()).isEqualTo("counted 4 of 4");
            });
        }
    }

    @Test
    void aRunOfAFanoutCompletesWithItsGroupAndIndex() {
        Ending ending = JobRun.of(new CountingJob()).nodeName("node-a").group("shards").index(2)
                .params(new CountingJob.Count(1, 1L)).runToEnd(DEADLINE);

        assertThat(ending.result(CountingJob.Counted.class))
                .isEqualTo(new CountingJob.Counted(1, 1, "node-a", "shards", 2));
    }

    @Test
    void paramsThatDoNotBindFailTheRunNamingTheJobAndTheType() {
        Ending ending = JobRun.of(new CountingJob()).jobName("bad").params(Map.of("count", "many"))
                .runToEnd(DEADLINE);

        assertThat(ending.error()).get().isInstanceOf(JobDataException.class).extracting(Throwable::getMessage)
                .asString().contains("job 'bad'").contains(CountingJob.Count.class.getName());
        assertThat(ending.result()).isEmpty();
    }
}
