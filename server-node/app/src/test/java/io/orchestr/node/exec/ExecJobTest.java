package io.orchestr.node.exec;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestr.node.testkit.Ending;
import io.orchestr.node.testkit.JobRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/** Real processes: commands, groups, timeouts and cancels of process trees whose children ignore SIGTERM. */
class ExecJobTest {
    private static final Duration END = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Forks a grandchild that ignores SIGTERM, writes both pids to {@code pids}, and ignores SIGTERM itself. */
    private static final String STUBBORN = "trap '' TERM; (trap '' TERM; sleep 1000) & echo $! > pids;"
            + " echo $$ >> pids; echo started; sleep 1000 & wait";

    @TempDir
    Path dir;

    private ExecJob exec(Map<String, String> nodeEnvironment) {
        return new ExecJob(dir, dir.resolve("secrets"), nodeEnvironment, Clock.systemUTC());
    }

    /** A run of {@code params} on a node whose environment holds only {@code PATH}. */
    private JobRun.Builder job(String params) throws IOException {
        return JobRun.of(exec(Map.of("PATH", System.getenv("PATH")))).params(JSON.readTree(params));
    }

    private Ending runToEnd(String params) throws IOException {
        return job(params).runToEnd(END);
    }

    @Test
    void aSecretTheParamsNameReachesTheCommandAndIsMaskedInTheOutputAndTheResult() throws IOException {
        Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(dir.resolve("secrets/deploy-token"), "s3cr3t-value\n");
        JobRun run = job("{\"sequence\": [{\"command\": \"echo token=$TOKEN; printf %s \\\"$TOKEN\\\" | wc -c\","
                + " \"env\": {\"TOKEN\": {\"secret\": \"deploy-token\"}}},"
                + " {\"command\": \"true\", \"env\": {\"OTHER\": {\"secret\": \"missing\"}}}]}").start();

        Ending ending = run.awaitEnd(END);

        ExecResult result = ending.result(ExecResult.class);
        assertThat(result.stdoutTail()).as("the value reached the command, 12 bytes, and is masked")
                .isEqualTo("token=***\n12\n");
        assertThat(run.output()).doesNotContain("s3cr3t-value").contains("token=***");
        assertThat(result.steps()).extracting(Step::path, Step::exitCode)
                .containsExactly(tuple("0", 0), tuple("1", WorkRun.CANNOT_START));
        assertThat(result.stderrTail()).contains("secret 'missing' is not held by this node");
    }

    @Test
    void exitZeroCompletesWithTheExitCodeTheTailsAndTheStep() throws IOException {
        Ending ending = runToEnd("{\"command\": [\"sh\", \"-c\", \"echo out; echo err >&2\"]}");

        assertThat(ending.returned()).isTrue();
        ExecResult result = ending.result(ExecResult.class);
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdoutTail()).isEqualTo("out\n");
        assertThat(result.stderrTail()).isEqualTo("err\n");
        assertThat(result.steps()).singleElement().satisfies(step -> {
            assertThat(step.path()).isEqualTo("0");
            assertThat(step.exitCode()).isZero();
            assertThat(step.endedAt()).isAfterOrEqualTo(step.startedAt());
        });
    }

    @Test
    void anotherExitCodeFailsTheRunAndStillGivesTheResult() throws IOException {
        Ending ending = runToEnd("{\"command\": \"echo broken >&2; exit 3\"}");

        assertThat(ending.threw()).isTrue();
        assertThat(ending.error().orElseThrow()).hasToString("step 0 (echo broken >&2; exit 3) exited with 3");
        ExecResult result = ending.result(ExecResult.class);
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stderrTail()).isEqualTo("broken\n");
    }

    @Test
    void theWholeOutputGoesToTheRunsOutput() throws IOException {
        try (JobRun run = job("{\"command\": \"seq 1 5000\"}").start()) {
            run.awaitEnd(END);
            assertThat(run.output()).startsWith("1\n2\n").endsWith("4999\n5000\n");
            assertThat(run.awaitEnd(END).result(ExecResult.class).stdoutTail()).hasSizeLessThanOrEqualTo(Tail.SIZE)
                    .endsWith("4999\n5000\n");
        }
    }

    @Test
    void aCommandGetsACleanEnvironmentWithItsOwnAndTheJobs() throws IOException {
        JobRun.Builder builder = JobRun.of(exec(Map.of("PATH", System.getenv("PATH"), "HOME", "/home/node",
                        "RABBITMQ_PASSWORD", "secret", "ORCHESTR_TOKEN", "token")))
                .jobName("env-check")
                .group("nightly")
                .index(3)
                .params(JSON.readTree("{\"command\": \"env\", \"env\": {\"COLOR\": \"blue\","
                        + " \"ORCHESTR_JOB_NAME\": \"forged\"}}"));
        Ending ending = builder.runToEnd(END);

        String env = ending.result(ExecResult.class).stdoutTail();
        assertThat(env).contains("COLOR=blue", "HOME=/home/node", "ORCHESTR_JOB_NAME=env-check", "ORCHESTR_EPOCH=",
                "ORCHESTR_JOB_ID=", "ORCHESTR_NODE_ID=", "ORCHESTR_NODE_NAME=", "ORCHESTR_GROUP=nightly",
                "ORCHESTR_INDEX=3");
        assertThat(env).doesNotContain("secret", "token", "forged");
    }

    @Test
    void aFailingStepOfASequenceStopsIt() throws IOException {
        Ending ending = runToEnd("{\"sequence\": [{\"command\": \"touch first\"}, {\"command\": \"exit 4\"},"
                + " {\"command\": \"touch third\"}]}");

        ExecResult result = ending.result(ExecResult.class);
        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.steps()).extracting(Step::path, Step::exitCode)
                .containsExactly(tuple("0", 0), tuple(
                        "1", 4));
        assertThat(dir.resolve("first")).exists();
        assertThat(dir.resolve("third")).doesNotExist();
    }

    @Test
    void aFailingStepOfAParallelGroupStopsTheOthersUnlessToldToContinue() throws IOException {
        Ending stopped = runToEnd("{\"parallel\": [{\"command\": \"sleep 1000\"}, {\"sequence\": ["
                + "{\"command\": \"sleep 0.2; exit 5\"}, {\"command\": \"touch never\"}]}]}");
        ExecResult result = stopped.result(ExecResult.class);
        assertThat(result.exitCode()).isEqualTo(5);
        assertThat(result.steps()).extracting(Step::path, Step::exitCode).containsExactly(
                tuple("0", 128 + 15), tuple("1.0", 5));
        assertThat(dir.resolve("never")).doesNotExist();

        Ending continued = runToEnd("{\"parallel\": [{\"command\": \"sleep 0.5; touch slow\"},"
                + " {\"command\": \"exit 6\"}], \"continueOnError\": true}");
        assertThat(continued.result(ExecResult.class).exitCode()).isEqualTo(6);
        assertThat(dir.resolve("slow")).exists();
    }

    @Test
    void aTimeoutEndsTheWholeTreeEvenWhenItIgnoresSigterm() throws Exception {
        Ending ending = runToEnd("{\"command\": \"" + STUBBORN + "\", \"timeout\": \"PT1S\","
                + " \"killGrace\": \"PT0.5S\"}");

        ExecResult result = ending.result(ExecResult.class);
        assertThat(result.exitCode()).isEqualTo(128 + 9);
        assertThat(result.steps()).singleElement().satisfies(step -> assertThat(step.timedOut()).isTrue());
        assertThat(ending.error().orElseThrow()).hasToString("step 0 (" + STUBBORN + ") exited with 137 after its"
                + " timeout");
        assertGone(pids());
    }

    @Test
    void aCancelEndsTheWholeTreeAfterTheKillGrace() throws Exception {
        try (JobRun run = job("{\"command\": \"" + STUBBORN + "\", \"killGrace\": \"PT1S\"}").start()) {
            run.awaitOutput("started", END);
            List<Long> pids = pids();
            assertAlive(pids);

            Ending ending = run.stop(END);

            assertThat(ending.returned()).as("a cancel is no failure").isTrue();
            assertThat(ending.interrupted()).as("the kill grace ended it, not the node's interrupt").isFalse();
            assertGone(pids);
        }
    }

    @Test
    void aCancelSendsSigtermFirstSoACommandMayEndCleanly() throws Exception {
        try (JobRun run = job("{\"command\": \"trap 'echo cleaning up; exit 0' TERM; echo started;"
                + " sleep 1000 & wait\", \"killGrace\": \"PT30S\"}").start()) {
            run.awaitOutput("started", END);

            run.cancel();

            run.awaitOutput("cleaning up", END);
            assertThat(run.awaitEnd(END).returned()).isTrue();
        }
    }

    @Test
    void anInterruptKillsTheTreeAtOnce() throws Exception {
        try (JobRun run = job("{\"command\": \"" + STUBBORN + "\", \"killGrace\": \"PT1H\"}").start()) {
            run.awaitOutput("started", END);
            List<Long> pids = pids();

            run.cancel();
            run.interrupt(); // the node's fence, or the end of its cancel grace

            run.awaitEnd(END);
            assertGone(pids);
        }
    }

    @Test
    void aCommandThatCannotStartFailsWithExitCode126() throws IOException {
        Ending ending = runToEnd("{\"command\": \"true\", \"cwd\": \"no/such/dir\"}");

        ExecResult result = ending.result(ExecResult.class);
        assertThat(result.exitCode()).isEqualTo(126);
        assertThat(result.stderrTail()).contains("step 0 could not start", "no/such/dir");
    }

    private List<Long> pids() throws IOException {
        Path file = dir.resolve("pids");
        await().atMost(END).until(() -> Files.exists(file) && Files.readAllLines(file).size() == 2);
        return Files.readAllLines(file).stream().map(String::trim).map(Long::parseLong).toList();
    }

    static void assertAlive(List<Long> pids) {
        assertThat(pids).allMatch(ExecJobTest::alive);
    }

    static void assertGone(List<Long> pids) {
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(pids).noneMatch(ExecJobTest::alive));
    }

    /** A process that exists and is no zombie (a zombie has ended; only its parent has not reaped it yet). */
    static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }
}
