package io.orchestr.manager;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GroupCommitTest {
    private final List<List<Integer>> groups = Collections.synchronizedList(new ArrayList<>());

    @Test
    void aLoneCallerRunsAloneAndAtOnce() {
        GroupCommit<Integer, String> commit = new GroupCommit<>(10, this::echoLater);

        assertThat(commit.submit(7)).isEqualTo("7");
        assertThat(groups).containsExactly(List.of(7));
    }

    @Test
    void callersThatArriveWhileAGroupIsBeingDoneShareTheNextOne() throws Exception {
        CountDownLatch firstGroupStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        GroupCommit<Integer, String> commit = new GroupCommit<>(100, items -> {
            if (items.contains(0)) {
                firstGroupStarted.countDown();
                await(release);
            }
            List<GroupCommit.Result<String>> outcomes = echo(items);
            return () -> outcomes;
        });
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> first = callers.submit(() -> commit.submit(0));
            assertThat(firstGroupStarted.await(10, TimeUnit.SECONDS)).isTrue();
            List<Future<String>> others = IntStream.rangeClosed(1, 20)
                    .mapToObj(i -> callers.submit(() -> commit.submit(i))).toList();
            awaitWaiting(commit, others);
            release.countDown();

            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("0");
            for (int i = 0; i < others.size(); i++) {
                assertThat(others.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(Integer.toString(i + 1));
            }
        }
        assertThat(groups.getFirst()).containsExactly(0);
        assertThat(groups.subList(1, groups.size())).as("the 20 that waited, in few groups").hasSizeLessThan(20)
                .flatMap(group -> group)
                .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 20).boxed().toList());
    }

    @Test
    void theNextGroupRunsItsFirstPhaseWhileTheLastOneStillRunsItsSecond() throws Exception {
        CountDownLatch secondPhaseOfZero = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        GroupCommit<Integer, String> commit = new GroupCommit<>(100, items -> {
            List<GroupCommit.Result<String>> outcomes = echo(items);
            return () -> {
                if (items.contains(0)) {
                    secondPhaseOfZero.countDown();
                    await(release);
                }
                return outcomes;
            };
        });
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> first = callers.submit(() -> commit.submit(0));
            assertThat(secondPhaseOfZero.await(10, TimeUnit.SECONDS)).isTrue();

            assertThat(callers.submit(() -> commit.submit(1)).get(10, TimeUnit.SECONDS)).isEqualTo("1");

            assertThat(first.isDone()).isFalse();
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("0");
        }
    }

    @Test
    void eachCallerGetsItsOwnFailureAndAFailedGroupFailsAllItsCallers() {
        GroupCommit<Integer, String> perItem = new GroupCommit<>(10, items -> () -> items.stream()
                .map(i -> i % 2 == 0 ? GroupCommit.Result.of("ok " + i)
                        : GroupCommit.Result.<String>failed(new IllegalArgumentException("odd " + i))).toList());
        assertThat(perItem.submit(2)).isEqualTo("ok 2");
        assertThatThrownBy(() -> perItem.submit(3)).isInstanceOf(IllegalArgumentException.class).hasMessage("odd 3");

        GroupCommit<Integer, String> down = new GroupCommit<>(10, items -> {
            throw new IllegalStateException("database down");
        });
        assertThatThrownBy(() -> down.submit(1)).isInstanceOf(IllegalStateException.class).hasMessage("database down");
    }

    private Supplier<List<GroupCommit.Result<String>>> echoLater(List<Integer> items) {
        List<GroupCommit.Result<String>> outcomes = echo(items);
        return () -> outcomes;
    }

    private List<GroupCommit.Result<String>> echo(List<Integer> items) {
        groups.add(List.copyOf(items));
        return items.stream().map(i -> GroupCommit.Result.of(Integer.toString(i))).toList();
    }

    /** Until every other caller has submitted: each then waits in the queue or polls for the lead. */
    private static void awaitWaiting(GroupCommit<Integer, String> commit, List<Future<String>> callers) {
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> commit.waitingCount() == callers.size());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
