package io.orchestr.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestr.client.OrchestratorClient;
import io.orchestr.client.PageRequest;
import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.shared.JobEventKind;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.JobEventView;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.api.NewJob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * {@code exec} jobs through a real manager and runnable nodes started with {@code ORCHESTR_NODE_EXEC=true}, each a
 * JVM of its own: a node's death ends its commands' whole process trees and the job runs on another node, never
 * twice at once; a cancel and a timeout end trees that ignore SIGTERM; output and result through the API; a node
 * without exec never receives an exec job; a failing parallel step stops the others.
 */
class ExecJobsTest {
    /**
     * A command that ignores SIGTERM and forks two grandchildren that ignore it too. It appends
     * {@code start <node> <epoch> <nanos>} to {@code $DIR/<job>.log}, and each grandchild appends
     * {@code tick <node> <epoch> <nanos>} there every 50 ms, so that the file shows which run wrote when; the
     * three pids go to {@code $DIR/<job>.pids} as {@code <epoch> <pid>} lines.
     */
    private static final String STUBBORN = String.join("\n",
            "trap '' TERM",
            "log=\"$DIR/$ORCHESTR_JOB_NAME.log\"",
            "pids=\"$DIR/$ORCHESTR_JOB_NAME.pids\"",
            "echo \"start $ORCHESTR_NODE_NAME $ORCHESTR_EPOCH $(date +%s%N)\" >> \"$log\"",
            "for i in 1 2; do",
            "  (trap '' TERM; while :; do echo \"tick $ORCHESTR_NODE_NAME $ORCHESTR_EPOCH $(date +%s%N)\" >> \"$log\";"
                    + " sleep 0.05; done) &",
            "  echo \"$ORCHESTR_EPOCH $!\" >> \"$pids\"",
            "done",
            "echo \"$ORCHESTR_EPOCH $$\" >> \"$pids\"",
            "echo started",
            "while :; do sleep 1; done");
    private static final String POOL = "commands";
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration GONE = Duration.ofSeconds(2);

    private static Cluster cluster;
    private static OrchestratorClient client;

    @TempDir
    Path dir;
    /** Every pid of the commands' trees this test saw, SIGKILLed after it whatever its outcome. */
    private final Set<Long> seen = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.withManager("exec-jobs");
        client = cluster.client();
        cluster.startExecNode("exec-1", 4, POOL);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void killLeftovers() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".pids")).toList()) {
                Files.readAllLines(file).stream().map(line -> line.split(" ")).filter(fields -> fields.length == 2)
                        .forEach(fields -> seen.add(Long.parseLong(fields[1])));
            }
        }
        seen.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    @Test
    void aSigkilledNodesCommandTreeIsGoneAtOnceAndTheJobRunsOnceOnTheOtherNodeWithoutOverlap() throws IOException {
        OrchestrProcess nodeA = cluster.startExecNode("exec-a", 2, "failover");
        OrchestrProcess nodeB = cluster.startExecNode("exec-b", 2, "failover");
        UUID id = create("survives-its-node", "failover", stubborn(Map.of()));
        JobView running = client.awaitStatus(id, JobStatus.Processing, START);
        OrchestrProcess victim = nodeA.name().equals(running.serverName()) ? nodeA : nodeB;
        OrchestrProcess survivor = victim == nodeA ? nodeB : nodeA;
        List<Long> pids = pids("survives-its-node", 1);
        await("ticks of the first run").atMost(START).until(() -> lines("survives-its-node", "tick").size() >= 4);
        Set<Long> tree = descendants(victim.pid());
        seen.addAll(tree);
        assertThat(tree).as("the node's process tree holds the command and its grandchildren").containsAll(pids);
        assertThat(pids).allMatch(ExecJobsTest::alive);

        Instant killedAt = Instant.now();
        victim.kill();

        await("every process of the old tree gone").atMost(GONE.minus(Duration.between(killedAt, Instant.now())))
                .pollInterval(Duration.ofMillis(10)).until(() -> tree.stream().noneMatch(ExecJobsTest::alive));
        Duration gone = Duration.between(killedAt, Instant.now());
        await("the job Processing on " + survivor.name()).atMost(START)
                .pollInterval(Duration.ofMillis(100)).until(() -> client.job(id), job ->
                        job.status() == JobStatus.Processing && survivor.name().equals(job.serverName()));
        await("the second run's start line").atMost(START).until(() -> lines("survives-its-node", "start").size() > 1);
        List<Line> starts = lines("survives-its-node", "start");
        Line second = starts.get(1);
        await("ticks of the second run").atMost(START).until(() -> lines("survives-its-node", "tick").stream()
                .filter(tick -> tick.node().equals(survivor.name())).count() >= 10);
        System.out.printf("Exec failover: the tree of %s (%d processes) was gone %d ms after its SIGKILL;"
                        + " the job started on %s %d ms after it%n", victim.name(), tree.size(), gone.toMillis(),
                survivor.name(), (second.nanos() - killedAt.getEpochSecond() * 1_000_000_000L - killedAt.getNano())
                        / 1_000_000);

        assertThat(starts).as("one start per run, the second on the survivor")
                .extracting(Line::node).containsExactly(victim.name(), survivor.name());
        assertThat(second.epoch()).as("a new grant").isGreaterThan(starts.getFirst().epoch());
        assertThat(lines("survives-its-node", "tick")).as("no line of the old tree after the new run started")
                .filteredOn(tick -> tick.node().equals(victim.name()))
                .allMatch(tick -> tick.nanos() < second.nanos());
        assertThat(pids("survives-its-node", second.epoch())).allMatch(ExecJobsTest::alive);
        assertThat(grants(id)).as("the nodes granted the job").containsExactly(victim.name(), survivor.name());
        assertThat(client.job(id).status()).isEqualTo(JobStatus.Processing);
    }

    @Test
    void aCancelEndsTheWholeTreeAfterTheKillGraceAndTheJobIsDeleted() throws IOException {
        UUID id = create("cancelled", POOL, stubborn(Map.of("killGrace", "PT1S")));
        client.awaitStatus(id, JobStatus.Processing, START);
        List<Long> pids = pids("cancelled", 1);
        assertThat(pids).allMatch(ExecJobsTest::alive);

        Instant cancelledAt = Instant.now();
        client.markOnDeleting(id);

        client.awaitStatus(id, JobStatus.Deleted, Duration.ofSeconds(20));
        Duration deleted = Duration.between(cancelledAt, Instant.now());
        await("the tree gone").atMost(GONE).until(() -> pids.stream().noneMatch(ExecJobsTest::alive));
        System.out.printf("Exec cancel: Deleted %d ms after the DELETE (kill grace 1 s), the tree gone %d ms after%n",
                deleted.toMillis(), Duration.between(cancelledAt, Instant.now()).toMillis());
        assertThat(deleted).as("the tree outlived its SIGTERM until the kill grace ended")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aTimeoutEndsTheWholeTreeAndFailsTheJobWithExitCode137() throws IOException {
        UUID id = create("timed-out", POOL, stubborn(Map.of("timeout", "PT1S", "killGrace", "PT0.5S")));
        client.awaitStatus(id, JobStatus.Processing, START);
        List<Long> pids = pids("timed-out", 1);

        JobView failed = client.awaitStatus(id, JobStatus.Failed, Duration.ofSeconds(20));

        await("the tree gone").atMost(GONE).until(() -> pids.stream().noneMatch(ExecJobsTest::alive));
        assertThat(failed.result().path("exitCode").asInt()).isEqualTo(128 + 9);
        assertThat(failed.result().path("steps")).singleElement()
                .satisfies(step -> assertThat(step.path("timedOut").asBoolean()).isTrue());
        assertThat(failed.lastError()).contains("exited with 137 after its timeout");
    }

    @Test
    void theOutputOfASequenceAndItsResultAreReadThroughTheApi() {
        UUID id = create("prints", POOL, Map.of("sequence", List.of(
                Map.of("command", List.of("echo", "first step")),
                Map.of("command", "echo second step; echo on stderr >&2"))));

        JobView completed = client.awaitStatus(id, JobStatus.Completed, START);

        assertThat(client.output(id)).contains("first step\n", "second step\n", "on stderr\n");
        JsonNode result = completed.result();
        assertThat(result.path("exitCode").asInt()).isZero();
        assertThat(result.path("stdoutTail").asText()).isEqualTo("first step\nsecond step\n");
        assertThat(result.path("stderrTail").asText()).isEqualTo("on stderr\n");
        assertThat(result.path("steps")).extracting(step -> step.path("path").asText(),
                step -> step.path("exitCode").asInt()).containsExactly(tuple("0", 0), tuple("1", 0));
    }

    @Test
    void aNodeWithoutExecNeverReceivesAnExecJobWhichRunsOnceAnExecNodeStarts() {
        cluster.startNode("plain-1", 2);
        UUID id = create("waits-for-exec", "default", Map.of("command", "echo ran on $ORCHESTR_NODE_NAME"));

        await("the job Queued for lack of an exec node").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200)).until(() -> client.job(id), job ->
                        job.status() == JobStatus.Queued
                                && "no node of pool default runs type exec".equals(job.reason()));
        OrchestrProcess exec = cluster.startExecNode("exec-late", 2, "default");

        JobView completed = client.awaitStatus(id, JobStatus.Completed, START);
        assertThat(grants(id)).as("the nodes granted the job").containsExactly(exec.name());
        assertThat(completed.result().path("stdoutTail").asText()).isEqualTo("ran on exec-late\n");
    }

    @Test
    void aFailingParallelStepStopsTheOtherAndFailsTheJobWithItsExitCode() {
        UUID id = create("parallel", POOL, Map.of("parallel", List.of(
                Map.of("command", "sleep 1000"),
                Map.of("command", "sleep 0.5; exit 5"))));

        JobView failed = client.awaitStatus(id, JobStatus.Failed, START);

        assertThat(failed.result().path("exitCode").asInt()).isEqualTo(5);
        assertThat(failed.result().path("steps")).extracting(step -> step.path("path").asText(),
                step -> step.path("exitCode").asInt()).containsExactly(tuple("0", 128 + 15), tuple("1", 5));
    }

    private static UUID create(String name, String pool, Map<String, Object> params) {
        return client.createJob(new NewJob(name, "", "exec", pool, null).withParams(params)).id();
    }

    /** The names of the nodes that were granted the job, in order. */
    private static List<String> grants(UUID id) {
        return client.events(id, PageRequest.first(100)).items().stream()
                .filter(event -> event.kind() == JobEventKind.GRANTED).map(JobEventView::serverName).toList();
    }

    /** The {@link #STUBBORN} command with its {@code DIR} and {@code more} of the command's fields. */
    private Map<String, Object> stubborn(Map<String, Object> more) {
        Map<String, Object> command = new HashMap<>(more);
        command.put("command", STUBBORN);
        command.put("env", Map.of("DIR", dir.toString()));
        return command;
    }

    /** The three pids of the {@link #STUBBORN} run of {@code job} under {@code epoch}, once it wrote them. */
    private List<Long> pids(String job, long epoch) throws IOException {
        Path file = dir.resolve(job + ".pids");
        await("the pids of run " + epoch + " of " + job).atMost(START).until(() -> Files.exists(file)
                && Files.readAllLines(file).stream().filter(line -> line.startsWith(epoch + " ")).count() == 3);
        List<Long> pids = Files.readAllLines(file).stream().filter(line -> line.startsWith(epoch + " "))
                .map(line -> Long.parseLong(line.split(" ")[1])).toList();
        seen.addAll(pids);
        return pids;
    }

    /** The lines of {@code kind} ({@code start} or {@code tick}) in the {@link #STUBBORN} log of {@code job}. */
    private List<Line> lines(String job, String kind) throws IOException {
        Path file = dir.resolve(job + ".log");
        if (!Files.exists(file)) {
            return List.of();
        }
        return Files.readAllLines(file).stream().map(line -> line.split(" "))
                .filter(fields -> fields.length == 4 && fields[0].equals(kind)) // a line being written is skipped
                .map(fields -> new Line(fields[1], Long.parseLong(fields[2]), Long.parseLong(fields[3]))).toList();
    }

    private record Line(String node, long epoch, long nanos) {
    }

    /** Every process below {@code pid}, from the parent pids in {@code /proc}. */
    private static Set<Long> descendants(long pid) throws IOException {
        Map<Long, List<Long>> children = new HashMap<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    long parent = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 4).split(" ")[0]);
                    children.computeIfAbsent(parent, k -> new ArrayList<>())
                            .add(Long.parseLong(p.getFileName().toString()));
                } catch (IOException | RuntimeException e) {
                    // the process ended while the list was read
                }
            });
        }
        Set<Long> found = new HashSet<>();
        Deque<Long> next = new ArrayDeque<>(List.of(pid));
        while (!next.isEmpty()) {
            for (long child : children.getOrDefault(next.pop(), List.of())) {
                if (found.add(child)) {
                    next.push(child);
                }
            }
        }
        return found;
    }

    /** A process that exists and is no zombie (a zombie has ended; only its parent has not reaped it yet). */
    private static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }
}
