package io.orchestr.node;

import io.orchestr.node.testing.NodeTestBase;
import io.orchestr.shared.Names;
import io.orchestr.shared.RestartMode;
import io.orchestr.shared.wire.JobMessage;
import io.orchestr.shared.wire.OutputChunk;
import io.orchestr.shared.wire.ToManager;
import io.orchestr.shared.wire.ToNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run's output goes to a file of its job and epoch under the node's output folder, a manager reads it through the
 * node's control queue (direct reply-to), and the folder keeps only the last runs' files.
 */
class RunOutputTest extends NodeTestBase {
    private static final Duration ANSWER = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void aRunsOutputGoesToTheFileOfItsJobAndEpochAndIsReadWhileItRunsAndAfterItEnded() throws Exception {
        manager.grantAll();
        CountDownLatch finish = new CountDownLatch(1);
        OrchestratedServer node = start(node("output-a").outputDir(dir).handler(ctx -> {
            ctx.output().print("first line\n");
            ctx.output().print("grüße\n");
            try {
                finish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ctx.output().print("last line\n");
        }));
        JobMessage job = publish("prints");
        Path file = dir.resolve(job.jobId().toString()).resolve("1.log");
        eventually().until(() -> Files.exists(file) && Files.size(file) == "first line\ngrüße\n".getBytes(
                StandardCharsets.UTF_8).length);

        OutputChunk running = ask(node, new ToNode.Output(job.jobId(), 1L, 0L, 1_000));
        assertThat(running.found()).isTrue();
        assertThat(running.ended()).as("the run still writes").isFalse();
        assertThat(new String(running.bytes(), StandardCharsets.UTF_8)).isEqualTo("first line\ngrüße\n");
        assertThat(running.size()).isEqualTo(running.bytes().length);
        OutputChunk from = ask(node, new ToNode.Output(job.jobId(), 1L, 6L, 4));
        assertThat(from.offset()).isEqualTo(6);
        assertThat(new String(from.bytes(), StandardCharsets.UTF_8)).isEqualTo("line");

        finish.countDown();
        eventually().until(() -> !manager.ends(job.jobId()).isEmpty());
        OutputChunk ended = ask(node, new ToNode.Output(job.jobId(), null, null, 10));
        assertThat(ended.epoch()).as("no epoch asks for the newest run").isEqualTo(1L);
        assertThat(ended.ended()).isTrue();
        assertThat(new String(ended.bytes(), StandardCharsets.UTF_8)).as("the tail: the last 10 bytes")
                .isEqualTo("last line\n");
        assertThat(ended.offset()).isEqualTo(ended.size() - 10);
        assertThat(Files.readString(file)).isEqualTo("first line\ngrüße\nlast line\n");
    }

    @Test
    void aRestartUnderTheSameGrantAppendsToTheSameFile() throws Exception {
        manager.grantAll();
        Duration soon = Duration.ofMillis(10);
        start(node("output-b").outputDir(dir).restartPolicy(new RestartPolicy.ExponentialBackoff(soon, soon))
                .handler(ctx -> {
                    ctx.output().print("run of " + ctx.epoch() + "\n");
                    throw new IllegalStateException("fails every run");
                }));
        JobMessage job = broker.publishJob(new JobMessage(UUID.randomUUID(), "restarts", "", "default",
                Names.DEFAULT_POOL, RestartMode.ON_FAILURE, 2, null, null, null));

        eventually().until(() -> !manager.ends(job.jobId()).isEmpty());
        assertThat(manager.ends(job.jobId()).getFirst().outcome()).isEqualTo(ToManager.Outcome.FAILED);
        assertThat(Files.readString(dir.resolve(job.jobId().toString()).resolve("1.log")))
                .isEqualTo("run of 1\n".repeat(3));
    }

    @Test
    void aNodeAnswersNotFoundForARunItHasNoOutputOfAndARunThatWritesNothingLeavesNoFile() {
        manager.grantAll();
        OrchestratedServer node = start(node("output-c").outputDir(dir).handler(ctx -> {
        }));
        JobMessage job = publish("silent");
        eventually().until(() -> !manager.ends(job.jobId()).isEmpty());

        assertThat(ask(node, new ToNode.Output(job.jobId(), 1L, 0L, 100)).found()).isFalse();
        assertThat(ask(node, new ToNode.Output(UUID.randomUUID(), null, null, 100)).found()).isFalse();
        assertThat(dir.resolve(job.jobId().toString())).doesNotExist();
    }

    @Test
    void theFolderKeepsTheFilesOfTheLastRunsOnlyAndARunsFileStopsAtItsShare() throws IOException {
        manager.grantAll();
        start(node("output-d").outputDir(dir).outputRetention(2, 8 * 128).handler(ctx ->
                ctx.output().print(ctx.argument())));

        JobMessage first = publishAndAwaitEnd("first", "x");
        JobMessage second = publishAndAwaitEnd("second", "y");
        JobMessage third = publishAndAwaitEnd("third", "z");
        JobMessage cut = publishAndAwaitEnd("long", "a".repeat(200));

        assertThat(dir.resolve(first.jobId().toString()))
                .as("a new run's file removes the oldest of the ended runs' files beyond the last 2").doesNotExist();
        assertThat(dir.resolve(second.jobId().toString()).resolve("1.log")).hasContent("y");
        assertThat(dir.resolve(third.jobId().toString()).resolve("1.log")).hasContent("z");
        assertThat(Files.readString(dir.resolve(cut.jobId().toString()).resolve("1.log")))
                .as("a run's file holds an eighth of the bytes kept, then says it was cut")
                .isEqualTo("a".repeat(128) + "\n[orchestr: output cut at 128 bytes]\n");
    }

    @Test
    void outputThatCannotBeWrittenNeverFailsTheRun() throws IOException {
        manager.grantAll();
        Path notAFolder = Files.writeString(dir.resolve("file"), "in the way");
        start(node("output-e").outputDir(notAFolder).handler(ctx -> {
            ctx.output().print("lost\n");
            ctx.output().print("lost too\n");
        }));
        JobMessage job = publish("unwritable");

        eventually().until(() -> !manager.ends(job.jobId()).isEmpty());
        assertThat(manager.ends(job.jobId()).getFirst().outcome()).isEqualTo(ToManager.Outcome.COMPLETED);
    }

    private JobMessage publishAndAwaitEnd(String name, String argument) {
        JobMessage job = broker.publishJob(name, "default", argument, RestartMode.NEVER);
        eventually().until(() -> !manager.ends(job.jobId()).isEmpty());
        return job;
    }

    private JobMessage publish(String name) {
        return broker.publishJob(name, "default", "", RestartMode.NEVER);
    }

    private OutputChunk ask(OrchestratedServer node, ToNode.Output request) {
        return broker.askOutput(idOf(node), request, ANSWER);
    }
}
