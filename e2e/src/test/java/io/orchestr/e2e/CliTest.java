package io.orchestr.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestr.client.PageRequest;
import io.orchestr.client.ServerFilter;
import io.orchestr.e2e.harness.OrchestrProcess;
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

/** The {@code orchestr} command run as a process against a real manager and node: output and exit codes. */
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
        assertThat(drain.output()).containsPattern("status\\s+Drain(ing|ed)").contains(node.toString());
        assertThat(undrain.exitCode()).as(undrain.output()).isZero();
        assertThat(undrain.output()).containsPattern("status\\s+Active");
        assertThat(unknown.exitCode()).as(unknown.output()).isEqualTo(3);
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
