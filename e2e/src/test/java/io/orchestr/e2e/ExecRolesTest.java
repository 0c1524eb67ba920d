package io.orchestr.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestr.client.OrchestratorClient;
import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.api.NewJob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * {@code exec} jobs with roles through a real manager and runnable nodes that serve given roles
 * ({@code ORCHESTR_NODE_ROLES}), each a JVM of its own: each role's steps run on a node of their own in the order the
 * groups give across the roles, and a job whose roles cannot all be given a node waits {@code Queued}, holding none,
 * until they all can.
 */
class ExecRolesTest {
    private static final Duration END = Duration.ofSeconds(60);

    private static Cluster cluster;
    private static OrchestratorClient client;

    @TempDir
    Path dir;

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.withManager("exec-roles");
        client = cluster.client();
        cluster.startExecNode("builder", 2, "roles", "build");
        cluster.startExecNode("tester", 2, "roles", "test");
        cluster.startExecNode("single-a", 2, "waits", "a"); // 2: an exec node's fewest slots
        cluster.startExecNode("single-b", 2, "waits", "b");
        cluster.startExecNode("lead-node", 2, "failover", "x");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aTwoRoleJobRunsEachRolesStepsOnItsOwnNodeInTheOrderOfItsSequence() throws IOException {
        UUID id = create("build-and-test", "roles", Map.of("sequence", List.of(
                step("build", "compile"),
                step("test", "test"),
                Map.of("parallel", List.of(step(null, "package")), "role", "build"))));

        JobView lead = client.awaitStatus(id, JobStatus.Completed, END);

        JobView testRun = client.children(id).getFirst();
        assertThat(testRun.name()).isEqualTo("build-and-test/test");
        client.awaitStatus(testRun.id(), JobStatus.Completed, END);
        assertThat(Files.readAllLines(dir.resolve("roles.log"))).as("the steps, in order, each on its role's node")
                .containsExactly("compile builder build", "test tester test", "package builder build");
        JsonNode steps = lead.result().path("steps");
        assertThat(steps).extracting(step -> step.path("path").asText(), step -> step.path("role").asText(),
                step -> step.path("node").asText(), step -> step.path("exitCode").asInt()).containsExactly(
                tuple("0", "build", "builder", 0), tuple("1", "test", "tester", 0),
                tuple("2.0", "build", "builder", 0));
        assertThat(at(steps.get(1), "startedAt")).as("test started after compile ended")
                .isAfterOrEqualTo(at(steps.get(0), "endedAt"));
        assertThat(at(steps.get(2), "startedAt")).as("package started after test ended")
                .isAfterOrEqualTo(at(steps.get(1), "endedAt"));
        System.out.printf("Role hand-over: test started %d ms after compile ended, package %d ms after test ended%n",
                Duration.between(at(steps.get(0), "endedAt"), at(steps.get(1), "startedAt")).toMillis(),
                Duration.between(at(steps.get(1), "endedAt"), at(steps.get(2), "startedAt")).toMillis());
    }

    @Test
    void aJobWaitsQueuedHoldingNoNodeUntilEveryRoleHasOneThenRunsThemAll() throws IOException {
        List<UUID> blockers = List.of(create("holds-a-1", "waits", Map.of("command", "sleep 1000", "role", "a")),
                create("holds-a-2", "waits", Map.of("command", "sleep 1000", "role", "a")));
        blockers.forEach(blocker -> client.awaitStatus(blocker, JobStatus.Processing, END));

        UUID id = create("needs-a-and-b", "waits", Map.of("parallel", List.of(step("a", "played-a"),
                step("b", "played-b"))));
        UUID bRun = client.children(id).getFirst().id();

        await("both role runs Queued while role a has no free node, role b's free node left alone")
                .during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> List.of(client.job(id), client.job(bRun)), runs -> runs.stream().allMatch(run ->
                        run.status() == JobStatus.Queued && run.reason().startsWith("waiting for a node of its own")));
        assertThat(dir.resolve("roles.log")).as("no step started").doesNotExist();

        client.markOnDeleting(blockers.getFirst());

        client.awaitStatus(id, JobStatus.Completed, END);
        assertThat(client.awaitStatus(bRun, JobStatus.Completed, END).status()).isEqualTo(JobStatus.Completed);
        assertThat(Files.readAllLines(dir.resolve("roles.log"))).containsExactlyInAnyOrder(
                "played-a single-a a", "played-b single-b b");
    }

    @Test
    void aRoleRunWhoseNodeDiesIsPlacedOnAnotherNodeOfItsRoleAndTheJobGoesOnFromThere() throws IOException {
        OrchestrProcess first = cluster.startExecNode("y-1", 2, "failover", "y");
        OrchestrProcess second = cluster.startExecNode("y-2", 2, "failover", "y");
        String waitsForGo = "echo \"y-step $ORCHESTR_NODE_NAME $ORCHESTR_EPOCH\" >> \"$DIR/roles.log\";"
                + " while [ ! -e \"$DIR/go\" ]; do sleep 0.05; done";
        UUID id = create("outlives-a-node", "failover", Map.of("sequence", List.of(step("x", "x-first"),
                Map.of("command", waitsForGo, "env", Map.of("DIR", dir.toString()), "role", "y"),
                step("x", "x-last"))));
        UUID yRun = client.children(id).getFirst().id();
        await("role y's step running").atMost(END).until(() -> client.job(yRun).status() == JobStatus.Processing
                && lines().stream().anyMatch(line -> line.startsWith("y-step")));
        JobView running = client.job(yRun);
        OrchestrProcess victim = first.name().equals(running.serverName()) ? first : second;
        OrchestrProcess survivor = victim == first ? second : first;

        Instant killedAt = Instant.now();
        victim.kill();

        await("role y's step running again on " + survivor.name()).atMost(END).pollInterval(Duration.ofMillis(20))
                .until(() -> lines().contains("y-step " + survivor.name() + " 2"));
        System.out.printf("Role failover: the step of role y ran again on %s %d ms after %s was SIGKILLed%n",
                survivor.name(), Duration.between(killedAt, Instant.now()).toMillis(), victim.name());
        Files.createFile(dir.resolve("go"));
        JobView lead = client.awaitStatus(id, JobStatus.Completed, END);
        assertThat(lines()).as("x's steps ran once on the lead's node, y's again on the survivor").containsExactly(
                "x-first lead-node x", "y-step " + victim.name() + " 1", "y-step " + survivor.name() + " 2",
                "x-last lead-node x");
        client.awaitStatus(yRun, JobStatus.Completed, END); // it saw x-last end, a moment after the lead
        assertThat(lead.result().path("steps")).extracting(step -> step.path("node").asText())
                .containsExactly("lead-node", survivor.name(), "lead-node");
    }

    private List<String> lines() throws IOException {
        Path log = dir.resolve("roles.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    /** A command that appends {@code <label> <node> <role>} to {@code roles.log} in the test's folder. */
    private Map<String, Object> step(String role, String label) {
        String command = "echo \"" + label + " $ORCHESTR_NODE_NAME $ORCHESTR_ROLE\" >> \"$DIR/roles.log\"";
        Map<String, Object> step = Map.of("command", command, "env", Map.of("DIR", dir.toString()));
        if (role == null) {
            return step;
        }
        return Map.of("command", command, "env", Map.of("DIR", dir.toString()), "role", role);
    }

    private static Instant at(JsonNode step, String field) {
        return Instant.parse(step.path(field).asText());
    }

    private static UUID create(String name, String pool, Map<String, Object> params) {
        return client.createJob(new NewJob(name, "", "exec", pool, null).withParams(params)).id();
    }
}
