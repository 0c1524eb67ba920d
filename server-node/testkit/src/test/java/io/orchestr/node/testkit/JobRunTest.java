package io.orchestr.node.testkit;

import io.orchestr.client.OrchestratorClient;
import io.orchestr.node.JobContext;
import io.orchestr.shared.api.NewJob;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobRunTest {
    @Test
    void aCooperativeHandlerHeartbeatsUntilCancelledAndThenReturns() {
        try (JobRun run = JobRun.of(ctx -> {
            while (!ctx.awaitCancellation(Duration.ofMillis(5))) {
                ctx.heartbeat();
            }
        }).argument("shop=eu").start()) {
            run.awaitHeartbeats(3, Duration.ofSeconds(5));

            Ending ending = run.stop(Duration.ofSeconds(5));

            assertThat(ending.returned()).isTrue();
            assertThat(ending.cancelled()).isTrue();
            assertThat(ending.interrupted()).isFalse();
            assertThat(run.heartbeats()).isGreaterThanOrEqualTo(3);
            assertThat(run.lastHeartbeat()).isPresent();
            assertThat(run.context().argument()).isEqualTo("shop=eu");
        }
    }

    @Test
    void aRunOfAFanoutSeesItsGroupAndIndexAndOtherRunsSeeNeither() {
        try (JobRun shardRun = JobRun.of(ctx -> { }).group("nightly").index(3).start();
             JobRun aloneRun = JobRun.of(ctx -> { }).start()) {
            JobContext shard = shardRun.context();
            JobContext alone = aloneRun.context();

            assertThat(shard.group()).contains("nightly");
            assertThat(shard.index()).hasValue(3);
            assertThat(alone.group()).isEmpty();
            assertThat(alone.index()).isEmpty();
        }
        assertThatThrownBy(() -> JobRun.of(ctx -> { }).index(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aHandlerThatIgnoresItsCancelIsInterruptedAfterTheGrace() {
        try (JobRun run = JobRun.of(ctx -> new CountDownLatch(1).await()).start()) {
            Ending ending = run.stop(Duration.ofMillis(100));

            assertThat(ending.threw()).isTrue();
            assertThat(ending.error()).get().isInstanceOf(InterruptedException.class);
            assertThat(ending.interrupted()).isTrue();
        }
    }

    @Test
    void whatTheHandlerPrintsIsTheRunsOutputInItsFile() throws Exception {
        try (JobRun run = JobRun.of(ctx -> {
            ctx.output().print("building\n");
            ctx.output().print("BUILD OK\n");
            ctx.awaitCancellation(Duration.ofMinutes(1));
        }).start()) {
            run.awaitOutput("BUILD OK", Duration.ofSeconds(5));

            assertThat(run.output()).isEqualTo("building\nBUILD OK\n");
            assertThat(Files.readString(run.context().output().file())).isEqualTo(run.output());
        }
    }

    @Test
    void aFailingHandlerEndsWithWhatItThrew() {
        Ending ending = JobRun.of(ctx -> {
            throw new IllegalStateException("cannot reach " + ctx.argument());
        }).argument("orders-db").runToEnd(Duration.ofSeconds(5));

        assertThat(ending.error()).get().isInstanceOf(IllegalStateException.class)
                .hasFieldOrPropertyWithValue("message", "cannot reach orders-db");
        assertThat(ending.cancelled()).isFalse();
    }

    @Test
    void waitingForHeartbeatsThatNeverComeFailsWithWhatWasSeen() {
        try (JobRun run = JobRun.of(ctx -> ctx.awaitCancellation(Duration.ofMinutes(5))).start()) {
            assertThatThrownBy(() -> run.awaitHeartbeats(1, Duration.ofMillis(50)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("sent 0 heartbeats, not 1");
        }
    }

    record Cursor(long position) {
    }

    @Test
    void aHandlerResumesFromTheLastCheckpointFedAndTheTestSeesWhatItStored() {
        try (JobRun run = JobRun.of(ctx -> {
            long position = ctx.lastCheckpoint(Cursor.class).map(Cursor::position).orElse(0L);
            ctx.checkpoint(new Cursor(position + 1));
            ctx.checkpoint(new Cursor(position + 2));
            ctx.result(ctx.lastCheckpoint(Cursor.class).orElseThrow());
        }).lastCheckpoint(new Cursor(41)).start()) {
            run.awaitCheckpoints(2, Duration.ofSeconds(5));
            assertThat(run.checkpoints(Cursor.class)).containsExactly(new Cursor(42), new Cursor(43));
            assertThat(run.awaitEnd(Duration.ofSeconds(5)).result(Cursor.class)).isEqualTo(new Cursor(43));
        }
    }

    @Test
    void aRunWithoutACheckpointStartsWithNoneAndANullStateIsRefused() {
        Ending ending = JobRun.of(ctx -> {
            assertThat(ctx.lastCheckpoint(Cursor.class)).isEmpty();
            ctx.checkpoint(null);
        }).runToEnd(Duration.ofSeconds(5));

        assertThat(ending.error()).get().asString().contains("a checkpoint needs a state");
    }

    @Test
    void aHandlerCreatesChildrenThroughTheClientItIsGivenAndGetsNoneWithoutOne() {
        List<NewJob> created = new ArrayList<>();
        OrchestratorClient manager = (OrchestratorClient) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{OrchestratorClient.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("createJob")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    created.add((NewJob) args[0]);
                    return null;
                });
        UUID parent = UUID.randomUUID();
        UUID elsewhere = UUID.randomUUID();

        Ending ending = JobRun.of(ctx -> {
            ctx.createChild(NewJob.of("child", ""));
            ctx.createChild(NewJob.of("adopted", "").withParent(elsewhere));
        }).jobId(parent).manager(manager).runToEnd(Duration.ofSeconds(5));

        assertThat(ending.returned()).isTrue();
        assertThat(created).extracting(NewJob::parentId).containsExactly(parent, elsewhere);
        Ending without = JobRun.of(ctx -> ctx.jobs()).runToEnd(Duration.ofSeconds(5));
        assertThat(without.error()).get().isInstanceOf(IllegalStateException.class).extracting(Throwable::getMessage)
                .asString().contains("JobRun.of(handler).manager(client)");
    }

    @Test
    void aRunThatThrowsKeepsTheResultItGaveAsANodeShowsItOnTheFailedJob() {
        Ending ending = JobRun.of(ctx -> {
            ctx.result(List.of("stage 0 done"));
            throw new IllegalStateException("stage 1 failed");
        }).runToEnd(Duration.ofSeconds(5));

        assertThat(ending.threw()).isTrue();
        assertThat(ending.result(List.class)).containsExactly("stage 0 done");
    }
}
