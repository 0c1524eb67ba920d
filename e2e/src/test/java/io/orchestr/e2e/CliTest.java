package io.orchestr.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestr.client.OrchestratorClient;
import io.orchestr.client.PageRequest;
import io.orchestr.client.ServerFilter;
import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.shared.JobEventKind;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.NodeStatus;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.api.NewJob;
import io.orchestr.shared.json.WireCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code orchestr} command run as a process against a real manager and node (a second one for a move): output
 * and exit codes.
 */
class CliTest {
    private static final Path CLI = Path.of(System.getProperty("orchestr.cli-jar", "../cli/target/orchestr-cli.jar"))
            .toAbsolutePath().normalize();
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private static Cluster cluster;
    private static int runs;

    /** What one run of the command printed and how it exited. */
    private record Run(int exitCode, String output) {
    }

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.withManager("cli");
        cluster.startNode("cli-node", 4);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void createWithWaitExitsZeroWhenTheJobCompletesAndFiveWhenItFails() {
        Run completed = orchestr("jobs", "create", "cli-finite", "--type", "finite",
                "--argument", "ticks=2;tickMillis=50", "--wait");
        Run failed = orchestr("jobs", "create", "cli-failing", "--type", "failing",
                "--argument", "failAfter=1;tickMillis=50", "--restart", "never", "--wait");

        assertThat(completed.exitCode()).as(completed.output()).isZero();
        assertThat(completed.output()).containsPattern("status\\s+Completed");
        assertThat(failed.exitCode()).as(failed.output()).isEqualTo(5);
        assertThat(failed.output()).containsPattern("status\\s+Failed").contains("fails after 1 ticks");
    }

    @Test
    void createPutsTheJobInAGroupUnderAParentAndUnderAConcurrencyKey() {
        JobView parent = cluster.client().createJob(new NewJob("cli-fan-parent", "", null, "cli-nowhere", null));

        Run created = orchestr("jobs", "create", "cli-fan-child", "--pool", "cli-nowhere", "--group", "cli-fan",
                "--index", "4", "--parent", "cli-fan-parent", "--concurrency-key", "cli-key", "--concurrency-limit",
                "2");

        assertThat(created.exitCode()).as(created.output()).isZero();
        assertThat(created.output()).containsPattern("group\\s+cli-fan").containsPattern("index\\s+4")
                .containsPattern("parent\\s+" + parent.id()).containsPattern("concurrency key\\s+cli-key")
                .containsPattern("concurrency limit\\s+2");
        assertThat(orchestr("jobs", "cancel", "cli-fan-child").exitCode()).isZero();
        cluster.client().markOnDeleting(parent.id());
    }

    @Test
    void theTokenComesFromOrchestrTokenOrTokenAndWithoutOneOrWithABadOneTheExitCodeIsSeven() {
        Run withEnvToken = orchestr("servers", "list");
        Run withoutToken = orchestr("servers", "list", "--token", "");
        Run withBadToken = orchestr("jobs", "list", "--token", "not-the-token");

        assertThat(withEnvToken.exitCode()).as(withEnvToken.output()).isZero();
        assertThat(withoutToken.exitCode()).as(withoutToken.output()).isEqualTo(7);
        assertThat(withBadToken.exitCode()).as(withBadToken.output()).isEqualTo(7);
        assertThat(withBadToken.output()).doesNotContain("not-the-token");
    }

    @Test
    void refusalsHaveTheirExitCodesAndAJobIsFoundByItsName() {
        cluster.client().createJob(NewJob.of("cli-taken", "tickMillis=1000"));

        Run taken = orchestr("jobs", "create", "cli-taken");
        Run missing = orchestr("jobs", "get", UUID.randomUUID().toString());
        Run missingName = orchestr("jobs", "get", "cli-no-such-job");
        Run byName = orchestr("jobs", "get", "cli-taken");
        Run usage = orchestr("jobs", "get");

        assertThat(taken.exitCode()).as(taken.output()).isEqualTo(4);
        assertThat(taken.output()).contains("cli-taken");
        assertThat(missing.exitCode()).as(missing.output()).isEqualTo(3);
        assertThat(missingName.exitCode()).as(missingName.output()).isEqualTo(3);
        assertThat(byName.exitCode()).as(byName.output()).isZero();
        assertThat(byName.output()).containsPattern("name\\s+cli-taken");
        assertThat(usage.exitCode()).as(usage.output()).isEqualTo(2);
    }

    @Test
    void listAsJsonShowsARunningJobAndCancelByNameWithWaitEndsIt() throws Exception {
        JobView job = cluster.client().createJob(NewJob.of("cli-ticker", "tickMillis=200"));
        cluster.client().awaitStatus(job.id(), JobStatus.Processing, DEADLINE);

        Run list = orchestr("jobs", "list", "--name", "cli-ticker", "-o", "json");
        JsonNode page = new WireCodec().mapper().readTree(list.output());
        Run status = orchestr("status");
        Run cancel = orchestr("jobs", "cancel", "cli-ticker", "--wait");

        assertThat(list.exitCode()).as(list.output()).isZero();
        assertThat(page.get("total").asInt()).isEqualTo(1);
        assertThat(page.get("items").get(0).get("status").asText()).isEqualTo("Processing");
        assertThat(page.get("items").get(0).get("serverName").asText()).isEqualTo("cli-node");
        assertThat(status.exitCode()).as(status.output()).isZero();
        assertThat(status.output()).containsPattern("active nodes\\s+1").containsPattern("jobs Processing\\s+\\d");
        assertThat(cancel.exitCode()).as(cancel.output()).isZero();
        assertThat(cancel.output()).containsPattern("status\\s+Deleted");
    }

    @Test
    void describeTellsAJobsRunsAndEventsAndAServersJobsAndAnUnknownJobExitsThree() throws Exception {
        JobView job = cluster.client().createJob(NewJob.of("cli-described", "tickMillis=200"));
        cluster.client().awaitStatus(job.id(), JobStatus.Processing, DEADLINE);
        UUID node = cluster.client().job(job.id()).serverId();
        await("its run reported running").atMost(DEADLINE).until(() -> cluster.client()
                .events(job.id(), new PageRequest(0, 100)).items().stream()
                .anyMatch(event -> event.kind() == JobEventKind.STARTED));

        Run described = orchestr("jobs", "describe", "cli-described");
        Run asJson = orchestr("jobs", "describe", job.id().toString(), "-o", "json");
        Run server = orchestr("servers", "describe", node.toString());
        Run unknown = orchestr("jobs", "describe", "cli-no-such-job");

        assertThat(described.exitCode()).as(described.output()).isZero();
        assertThat(described.output()).containsPattern("status\\s+Processing")
                .contains("Runs: 1, never two at once")
                .containsPattern("1\\s+cli-node\\s+\\S+\\s+\\d+ ms\\s+running")
                .contains("Events: the last").containsPattern("granted\\s+cli-node");
        JsonNode json = new WireCodec().mapper().readTree(asJson.output());
        assertThat(json.at("/job/name").asText()).isEqualTo("cli-described");
        assertThat(json.at("/runs/maxOwners").asInt()).isEqualTo(1);
        assertThat(json.at("/runs/runs/0/node").asText()).isEqualTo("cli-node");
        assertThat(json.at("/events/0/kind").asText()).isEqualTo("created");
        assertThat(server.exitCode()).as(server.output()).isZero();
        assertThat(server.output()).containsPattern("slots\\s+\\d+ used, \\d+ free of \\d+")
                .containsPattern("cli-described\\s+" + job.id() + "\\s+default\\s+Processing");
        assertThat(unknown.exitCode()).as(unknown.output()).isEqualTo(3);
        cluster.client().markOnDeleting(job.id());
    }

    @Test
    void watchRedrawsTheListOfJobsAtEveryInterval() {
        JobView job = cluster.client().createJob(NewJob.of("cli-watched", "tickMillis=200"));
        cluster.client().awaitStatus(job.id(), JobStatus.Processing, DEADLINE);

        Run watch = orchestr("jobs", "watch", "--interval", "PT0.2S", "--times", "2");

        assertThat(watch.exitCode()).as(watch.output()).isZero();
        assertThat(watch.output().split("jobs at ", -1)).as("tables drawn").hasSize(3);
        assertThat(watch.output()).containsPattern("cli-watched\\s+Processing\\s+cli-node");
        cluster.client().markOnDeleting(job.id());
    }

    @Test
    void serversDrainAndUndrainShowTheServerAndAnUnknownOneExitsThree() {
        UUID node = cluster.client().servers(new ServerFilter(NodeStatus.Active), new PageRequest(0, 10)).items()
                .stream().filter(server -> server.name().equals("cli-node")).findFirst().orElseThrow().id();
        Run drain;
        Run undrain;
        try {
            drain = orchestr("servers", "drain", node.toString());
        } finally {
            undrain = orchestr("servers", "undrain", node.toString());
        }
        Run unknown = orchestr("servers", "drain", UUID.randomUUID().toString());

        assertThat(drain.exitCode()).as(drain.output()).isZero();
        assertThat(drain.output()).containsPattern("status\\s+Drain(ing|ed)").contains(node.toString())
                .as("a node without ORCHESTR_NODE_EXEC").containsPattern("exec\\s+no");
        assertThat(undrain.exitCode()).as(undrain.output()).isZero();
        assertThat(undrain.output()).containsPattern("status\\s+Active");
        assertThat(unknown.exitCode()).as(unknown.output()).isEqualTo(3);
    }

    @Test
    void pauseWithWaitEndsPausedResumeWithWaitRunsItAgainAndARunningJobRefusesRerunAndEdit() {
        JobView job = running("cli-paused");

        Run pause = orchestr("jobs", "pause", "cli-paused", "--wait");
        Run get = orchestr("jobs", "get", "cli-paused");
        Run resume = orchestr("jobs", "resume", job.id().toString(), "--wait");
        Run rerun = orchestr("jobs", "rerun", "cli-paused");
        Run edit = orchestr("jobs", "edit", "cli-paused", "--argument", "tickMillis=100");

        assertThat(pause.exitCode()).as(pause.output()).isZero();
        assertThat(pause.output()).containsPattern("cli-paused\\s+Paused\\s+-\\s+paused: resume it");
        assertThat(get.output()).containsPattern("status\\s+Paused").containsPattern("reason\\s+paused:");
        assertThat(resume.exitCode()).as(resume.output()).isZero();
        assertThat(resume.output()).containsPattern("cli-paused\\s+Processing\\s+cli-node");
        assertThat(rerun.exitCode()).as("a rerun of a running job: " + rerun.output()).isEqualTo(4);
        assertThat(edit.exitCode()).as("an edit of a running job: " + edit.output()).isEqualTo(4);
        cluster.client().markOnDeleting(job.id());
    }

    @Test
    void moveToAServerNamedRunsTheJobThere() {
        OrchestratorClient client = cluster.client();
        JobView job = running("cli-moved");
        OrchestrProcess second = cluster.startNode("cli-node-2", 2);
        try {
            Run move = orchestr("jobs", "move", "cli-moved", "--to", "cli-node-2");
            Run nowhere = orchestr("jobs", "move", "cli-moved", "--to", "cli-no-such-node");

            assertThat(move.exitCode()).as(move.output()).isZero();
            assertThat(move.output())
                    .containsPattern("cli-moved\\s+Processing\\s+cli-node\\s+moving to node cli-node-2");
            JobView moved = await("the job running on cli-node-2").atMost(DEADLINE)
                    .until(() -> client.job(job.id()), view -> view.status() == JobStatus.Processing
                            && "cli-node-2".equals(view.serverName()));
            assertThat(moved.reason()).isNull();
            assertThat(nowhere.exitCode()).as(nowhere.output()).isEqualTo(3);
        } finally {
            client.markOnDeleting(job.id());
            client.awaitEnd(job.id(), DEADLINE);
            second.terminate();
            await("cli-node-2 no longer active").atMost(DEADLINE).until(() -> client
                    .servers(new ServerFilter(NodeStatus.Active), PageRequest.first(100)).items().stream()
                    .noneMatch(server -> server.name().equals("cli-node-2")));
        }
    }

    @Test
    void rerunOfACompletedJobRunsItAgainAndItsHistoryShowsBothRuns() throws Exception {
        OrchestratorClient client = cluster.client();
        JobView job = client.createJob(new NewJob("cli-rerun", "ticks=10;tickMillis=100", "finite", null, null));
        assertThat(client.awaitEnd(job.id(), DEADLINE).status()).isEqualTo(JobStatus.Completed);

        Run rerun = orchestr("jobs", "rerun", "cli-rerun", "--wait");
        assertThat(client.awaitEnd(job.id(), DEADLINE).status()).isEqualTo(JobStatus.Completed);
        Run events = orchestr("jobs", "events", "cli-rerun");
        Run history = orchestr("jobs", "history", job.id().toString(), "--size", "2", "-o", "json");
        JsonNode page = new WireCodec().mapper().readTree(history.output());

        assertThat(rerun.exitCode()).as(rerun.output()).isZero();
        assertThat(rerun.output()).containsPattern("cli-rerun\\s+(Processing\\s+cli-node|Completed)");
        assertThat(events.exitCode()).as(events.output()).isZero();
        assertThat(events.output()).startsWith("TIME").containsPattern("\\sgranted\\s+cli-node\\s+\\d+\\s")
                .containsPattern("\\srerun\\s.*api ");
        assertThat(events.output().lines().filter(line -> line.matches("\\S+\\s+created\\s.*"))).hasSize(1);
        assertThat(events.output().lines().filter(line -> line.matches("\\S+\\s+completed\\s.*"))).hasSize(2);
        assertThat(history.exitCode()).as(history.output()).isZero();
        assertThat(page.get("items")).hasSize(2);
        assertThat(page.get("items").get(0).get("kind").asText()).isEqualTo("created");
        assertThat(page.get("total").asInt()).isGreaterThan(4);
        client.markOnDeleting(job.id());
    }

    @Test
    void bulkPauseByGroupPausesItsJobsAndListFindsThemByGroupAndParent() throws Exception {
        OrchestratorClient client = cluster.client();
        JobView parent = client.createJob(new NewJob("cli-parent", "", null, "cli-nowhere", null));
        List<JobView> children = client.createJobs(List.of(
                NewJob.of("cli-grouped-a", "tickMillis=200").inGroup("cli-group", null).withParent(parent.id()),
                NewJob.of("cli-grouped-b", "tickMillis=200").inGroup("cli-group", null).withParent(parent.id())));
        children.forEach(child -> client.awaitStatus(child.id(), JobStatus.Processing, DEADLINE));

        Run list = orchestr("jobs", "list", "--group", "cli-group", "-o", "json");
        Run ofParent = orchestr("jobs", "list", "--parent", "cli-parent");
        Run pause = orchestr("jobs", "bulk", "pause", "--group", "cli-group");
        children.forEach(child -> client.awaitStatus(child.id(), JobStatus.Paused, DEADLINE));
        Run again = orchestr("jobs", "bulk", "pause", "--parent", "cli-parent", "-o", "json");
        Run get = orchestr("jobs", "get", "cli-grouped-b");
        Run cancel = orchestr("jobs", "bulk", "cancel", "--ids",
                children.get(0).id() + "," + children.get(1).id());

        assertThat(list.exitCode()).as(list.output()).isZero();
        assertThat(new WireCodec().mapper().readTree(list.output()).get("total").asInt()).isEqualTo(2);
        assertThat(ofParent.output()).contains("cli-grouped-a", "cli-grouped-b").doesNotContain("cli-parent");
        assertThat(pause.exitCode()).as(pause.output()).isZero();
        assertThat(pause.output()).containsPattern("pause\\s+2\\s+2");
        JsonNode repeat = new WireCodec().mapper().readTree(again.output());
        assertThat(repeat.get("matched").asInt()).as(again.output()).isEqualTo(2);
        assertThat(repeat.get("changed").asInt()).as("already paused").isZero();
        assertThat(get.output()).containsPattern("status\\s+Paused").containsPattern("group\\s+cli-group")
                .containsPattern("index\\s+1").containsPattern("parent\\s+" + parent.id());
        assertThat(cancel.output()).containsPattern("cancel\\s+2\\s+2");
        client.markOnDeleting(parent.id());
    }

    @Test
    void editOfAQueuedJobSetsAndClearsItsFields() throws Exception {
        OrchestratorClient client = cluster.client();
        JobView job = client.createJob(new NewJob("cli-edited", "a=1", null, "cli-nowhere", null)
                .withTimeout(Duration.ofMinutes(5)));

        Run edit = orchestr("jobs", "edit", "cli-edited", "--argument", "a=2", "--params", "{\"region\":\"us\"}",
                "--max-restarts", "3", "--clear-timeout", "-o", "json");
        JsonNode edited = new WireCodec().mapper().readTree(edit.output());
        Run table = orchestr("jobs", "edit", "cli-edited", "--timeout", "PT2M", "--clear-max-restarts");
        Run both = orchestr("jobs", "edit", "cli-edited", "--timeout", "PT1M", "--clear-timeout");
        Run nothing = orchestr("jobs", "edit", "cli-edited");

        assertThat(edit.exitCode()).as(edit.output()).isZero();
        assertThat(edited.get("argument").asText()).isEqualTo("a=2");
        assertThat(edited.get("params").get("region").asText()).isEqualTo("us");
        assertThat(edited.get("maxRestarts").asInt()).isEqualTo(3);
        assertThat(edited.path("timeout").isNull() || edited.path("timeout").isMissingNode()).as(edit.output())
                .isTrue();
        assertThat(table.exitCode()).as(table.output()).isZero();
        assertThat(table.output()).containsPattern("status\\s+Queued").containsPattern("timeout\\s+PT2M")
                .doesNotContain("max restarts");
        assertThat(both.exitCode()).as(both.output()).isEqualTo(2);
        assertThat(nothing.exitCode()).as(nothing.output()).isEqualTo(2);
        assertThat(client.job(job.id()).argument()).isEqualTo("a=2");
        client.markOnDeleting(job.id());
    }

    @Test
    void completionCoversTheSteeringCommands() {
        Run completion = orchestr("generate-completion");

        assertThat(completion.exitCode()).as(completion.output()).isZero();
        assertThat(completion.output()).contains("pause", "resume", "restart", "move", "rerun", "edit", "events",
                "history", "bulk", "--keep-checkpoint", "--clear-timeout", "\"cancel\" \"pause\" \"resume\" \"rerun\"");
    }

    @Test
    void logsFollowsAJobsOutputUntilTheJobEndsAndShowsItAfterwards() {
        UUID id = cluster.client().createJob(NewJob.of("cli-printer", "").withType("print")
                .withParams(Map.of("lines", 4, "tickMillis", 200))).id();

        Run followed = orchestr("jobs", "logs", "-f", "cli-printer");
        Run after = orchestr("jobs", "logs", "cli-printer");

        String lines = "line 1 of 4 from cli-printer on cli-node under epoch 1\n"
                + "line 2 of 4 from cli-printer on cli-node under epoch 1\n"
                + "line 3 of 4 from cli-printer on cli-node under epoch 1\n"
                + "line 4 of 4 from cli-printer on cli-node under epoch 1\n";
        assertThat(followed.exitCode()).as(followed.output()).isZero();
        assertThat(followed.output()).as("-f returns once the run is over, with all it wrote").contains(lines);
        assertThat(cluster.client().job(id).status()).isEqualTo(JobStatus.Completed);
        assertThat(after.exitCode()).as(after.output()).isZero();
        assertThat(after.output()).contains(lines);
    }

    /** A job of the default type, ticking every 200 ms, once it runs. */
    private static JobView running(String name) {
        JobView job = cluster.client().createJob(NewJob.of(name, "tickMillis=200"));
        return cluster.client().awaitStatus(job.id(), JobStatus.Processing, DEADLINE);
    }

    private static Run orchestr(String... args) {
        List<String> command = new ArrayList<>(List.of(Cluster.java(), "-jar", CLI.toString()));
        command.addAll(List.of(args));
        String url = "http://127.0.0.1:" + cluster.manager().httpPort();
        OrchestrProcess process = cluster.run("orchestr-" + ++runs, command, CLI.getParent(),
                OrchestrProcess.freePort(), Map.of("ORCHESTR_URL", url));
        int exitCode = process.awaitExitCode(DEADLINE);
        return new Run(exitCode, process.log());
    }
}
