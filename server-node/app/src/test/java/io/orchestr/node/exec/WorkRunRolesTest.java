package io.orchestr.node.exec;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestr.shared.work.Work;
import io.orchestr.shared.work.WorkParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The runs of one job's roles, each a {@link WorkRun} of its own on real processes, sharing a board in memory as the
 * role runs of a job share the manager's checkpoints: each plays its role's steps and waits for the others', so the
 * whole work keeps the order its groups give, and a failure of one role's step ends the others' runs as it would one
 * run's.
 */
class WorkRunRolesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long END_SECONDS = 20;

    @TempDir
    Path dir;

    /** The steps ended so far by any role, and the roles whose runs ended. */
    private final Map<String, Step> played = new ConcurrentHashMap<>();
    private final Set<String> ended = ConcurrentHashMap.newKeySet();

    @Test
    void stepsOfTwoRolesRunInTheOrderOfTheirSequence() throws Exception {
        Work work = work("{\"sequence\": ["
                + "{\"command\": \"echo 1 >> order\", \"role\": \"build\"},"
                + "{\"command\": \"echo 2 >> order\", \"role\": \"test\"},"
                + "{\"command\": \"echo 3 >> order\", \"role\": \"build\"},"
                + "{\"parallel\": [{\"command\": \"echo 4 >> order\"}], \"role\": \"test\"}]}");

        Map<String, Outcome> outcomes = runAll(work, "build", "test");

        assertThat(Files.readAllLines(dir.resolve("order"))).containsExactly("1", "2", "3", "4");
        for (Outcome outcome : outcomes.values()) {
            assertThat(outcome.exitCode()).isZero();
            assertThat(outcome.steps()).extracting(Step::path, Step::role, Step::exitCode).containsExactly(
                    tuple("0", "build", 0), tuple("1", "test", 0), tuple("2", "build", 0), tuple("3.0", "test", 0));
        }
    }

    @Test
    void aFailingStepOfOneRoleStopsTheLaterStepsOfTheOther() throws Exception {
        Work work = work("{\"sequence\": [{\"command\": \"exit 3\", \"role\": \"build\"},"
                + "{\"command\": \"touch tested\", \"role\": \"test\"}]}");

        Map<String, Outcome> outcomes = runAll(work, "build", "test");

        assertThat(outcomes.get("build").exitCode()).isEqualTo(3);
        assertThat(outcomes.get("test").exitCode()).isEqualTo(3);
        assertThat(outcomes.get("test").steps()).extracting(Step::path, Step::role).containsExactly(
                tuple("0", "build"));
        assertThat(dir.resolve("tested")).doesNotExist();
    }

    @Test
    void aFailingParallelStepOfOneRoleStopsTheRunningStepOfTheOther() throws Exception {
        Work work = work("{\"parallel\": [{\"command\": \"sleep 1000\", \"role\": \"build\", \"killGrace\": 1},"
                + "{\"command\": \"exit 2\", \"role\": \"test\"}]}");

        Map<String, Outcome> outcomes = runAll(work, "build", "test");

        assertThat(outcomes.get("build").exitCode()).isEqualTo(2);
        assertThat(outcomes.get("build").steps()).extracting(Step::path, Step::exitCode)
                .containsExactly(tuple("0", 128 + 15), tuple("1", 2));
        assertThat(outcomes.get("test").exitCode()).isEqualTo(2);
    }

    @Test
    void aStepWaitedForCountsAsNotStartedWhenItsRoleRunEndedWithoutIt() throws Exception {
        Work work = work("{\"sequence\": [{\"command\": \"true\", \"role\": \"build\"},"
                + "{\"command\": \"true\", \"role\": \"test\"}]}");
        ended.add("test"); // the run of role test ended (say it was cancelled) before it got to its step

        Outcome build = run(work, "build", "build").get(END_SECONDS, TimeUnit.SECONDS);

        assertThat(build.exitCode()).isEqualTo(WorkRun.NOT_STARTED);
        assertThat(build.steps()).extracting(Step::path, Step::exitCode)
                .containsExactly(tuple("0", 0), tuple("1", WorkRun.NOT_STARTED));
    }

    private record Outcome(int exitCode, List<Step> steps) {
    }

    private static Work work(String params) throws Exception {
        return WorkParser.parse(JSON.readTree(params));
    }

    /** Runs every role's run of {@code work} at once; the first role leads. */
    private Map<String, Outcome> runAll(Work work, String lead, String other) throws Exception {
        CompletableFuture<Outcome> first = run(work, lead, lead);
        CompletableFuture<Outcome> second = run(work, other, lead);
        return Map.of(lead, first.get(END_SECONDS, TimeUnit.SECONDS),
                other, second.get(END_SECONDS, TimeUnit.SECONDS));
    }

    private CompletableFuture<Outcome> run(Work work, String role, String lead) {
        WorkRun run = new WorkRun(Map.of("PATH", System.getenv("PATH")), dir, (isError, bytes, length) -> { },
                new MemoryBoard(role, lead), secret -> {
                    throw new IllegalArgumentException("no secrets here");
                }, Clock.systemUTC());
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        Thread.ofPlatform().name("role-" + role).start(() -> { // a thread each: the runs wait for each other
            try {
                outcome.complete(new Outcome(run.run(work), run.steps()));
            } catch (InterruptedException | RuntimeException e) {
                outcome.completeExceptionally(e);
            } finally {
                ended.add(role);
            }
        });
        return outcome;
    }

    /** The board of one role's run, over the test's shared maps. */
    private final class MemoryBoard implements RoleBoard {
        private final String role;
        private final String lead;

        MemoryBoard(String role, String lead) {
            this.role = role;
            this.lead = lead;
        }

        @Override
        public boolean plays(String stepRole) {
            return role.equals(stepRole == null ? lead : stepRole);
        }

        @Override
        public Optional<Step> playedBefore(String path) {
            return Optional.empty();
        }

        @Override
        public Step played(Step step) {
            Step shown = step.playedBy(role, "node-" + role);
            synchronized (played) {
                played.put(step.path(), shown);
                played.notifyAll();
            }
            return shown;
        }

        @Override
        public Optional<Step> await(String path, String stepRole, BooleanSupplier abandoned)
                throws InterruptedException {
            String playing = stepRole == null ? lead : stepRole;
            while (!abandoned.getAsBoolean()) {
                Step step = played.get(path);
                if (step != null) {
                    return Optional.of(step);
                }
                if (ended.contains(playing)) {
                    return Optional.of(new Step(path, "not run", WorkRun.NOT_STARTED, null, null, null, playing,
                            null));
                }
                synchronized (played) {
                    played.wait(10); // woken by a step played; the bound catches a run's end and an abandon
                }
            }
            return Optional.empty();
        }
    }
}
