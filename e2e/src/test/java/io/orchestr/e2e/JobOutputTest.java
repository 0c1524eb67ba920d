package io.orchestr.e2e;

import io.orchestr.client.NotFoundException;
import io.orchestr.client.OrchestratorException;
import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.NewJob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /api/jobs/{id}/output} through a real manager, from the runnable node's {@code print} demo type in a
 * process of its own: followed live until the job ends, read again after it ended, and refused with a clear error
 * for a job that never ran and for a run whose node is gone.
 */
class JobOutputTest {
    private static Cluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.withManager("job-output");
        cluster.startNode("printer", 2);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theOutputIsFollowedLiveUntilTheJobEndsAndReadFromTheNodeAfterItEnded() throws IOException {
        UUID id = cluster.client().createJob(NewJob.of("prints", "").withType("print")
                .withParams(Map.of("lines", 8, "tickMillis", 300))).id();
        String expected = IntStream.rangeClosed(1, 8)
                .mapToObj(i -> "line " + i + " of 8 from prints on printer under epoch 1\n")
                .collect(Collectors.joining());
        // 404 until a node runs it: the job may still be waiting for its grant at the first look
        await("the first line of the run").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .ignoreException(NotFoundException.class)
                .until(() -> cluster.client().output(id).startsWith("line 1 "));

        StringBuffer seen = new StringBuffer();
        CompletableFuture<String> followed = CompletableFuture.supplyAsync(() -> {
            try (InputStream stream = cluster.client().followOutput(id)) {
                byte[] buffer = new byte[1024];
                for (int read; (read = stream.read(buffer)) >= 0; ) {
                    seen.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
                }
                return seen.toString();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        await("line 3 through the followed stream").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20)).until(() -> seen.indexOf("line 3 ") >= 0);
        assertThat(seen.indexOf("line 8 ")).as("the stream is live: line 3 came before the run wrote line 8")
                .isEqualTo(-1);

        assertThat(followed).as("the followed output ends when the run does, with every line")
                .succeedsWithin(Duration.ofSeconds(30)).isEqualTo(expected);
        assertThat(cluster.client().job(id).status()).isEqualTo(JobStatus.Completed);
        assertThat(cluster.client().output(id)).as("the last run's output, after the job ended").isEqualTo(expected);
        assertThat(Files.readString(cluster.outputDir().resolve(id.toString()).resolve("1.log")))
                .as("the node's file of the run, in its ORCHESTR_NODE_OUTPUT_DIR").isEqualTo(expected);
    }

    @Test
    void anUnknownJobAndAJobThatNeverRanAnswer404() {
        UUID waiting = cluster.client().createJob(new NewJob("waits-for-a-pool", "", null, "nobody-serves", null))
                .id();

        assertThatThrownBy(() -> cluster.client().output(waiting)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("has no run yet");
        assertThatThrownBy(() -> cluster.client().output(UUID.randomUUID())).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("no job with id");
    }

    @Test
    void theOutputOfARunWhoseNodeIsGoneAnswers410NamingTheRunAndTheNode() {
        OrchestrProcess leaving = cluster.startNodeServing("leaving-printer", 1, "leaving");
        UUID id = cluster.client().createJob(new NewJob("prints-and-leaves", "", "print", "leaving", null)
                .withParams(Map.of("lines", 1, "tickMillis", 50))).id();
        cluster.client().awaitStatus(id, JobStatus.Completed, Duration.ofSeconds(30));
        assertThat(cluster.client().output(id)).startsWith("line 1 of 1");

        leaving.close();

        await("the node's departure").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThatThrownBy(() -> cluster.client().output(id))
                        .isInstanceOfSatisfying(OrchestratorException.class, e ->
                                assertThat(e.status()).isEqualTo(410))
                        .hasMessageContaining("the output of run 1 of job " + id + " was on node leaving-printer")
                        .hasMessageContaining("which is gone"));
    }
}
