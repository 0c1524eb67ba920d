package io.orchestr.e2e;

import io.orchestr.client.JobFilter;
import io.orchestr.client.OrchestratorClient;
import io.orchestr.client.PageRequest;
import io.orchestr.e2e.harness.AdminToken;
import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.api.NewJob;
import io.orchestr.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the projects in {@code examples/} as a user would, each as a process against a real manager, broker and
 * database: a job created through the REST API must reach the example's handler and stop when cancelled.
 */
class ExamplesTest {
    private static final Path EXAMPLES =
            Path.of(System.getProperty("orchestr.examples-root", "../examples")).toAbsolutePath().normalize();
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    /** The jars the REST client may need: orchestr-shared and Jackson, nothing of the broker. */
    private static final List<String> CLIENT_DEPENDENCIES = List.of("orchestr-shared-", "jackson-databind-",
            "jackson-core-", "jackson-annotations-", "jackson-datatype-jsr310-");

    /** The jars a plain Java node needs: the client's, the broker client, SLF4J and its binding. */
    private static final List<String> NODE_DEPENDENCIES = Stream.concat(CLIENT_DEPENDENCIES.stream(),
            Stream.of("orchestr-node-", "amqp-client-", "slf4j-api-", "slf4j-simple-")).toList();

    private static Cluster cluster;

    @BeforeAll
    static void startManager() {
        cluster = Cluster.withManager("examples");
    }

    @AfterAll
    static void stopManager() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theRestClientExampleWithOnlyItsOwnJarsCreatesAJobThatThePlainJavaExampleRuns() throws IOException {
        Path client = built("rest-client", "target/orchestr-example-rest-client.jar");
        Path plainNode = built("plain-java", "target/orchestr-example-plain-java.jar");
        assertThat(dependencies(client)).as("the REST client's class path")
                .allMatch(jar -> CLIENT_DEPENDENCIES.stream().anyMatch(jar::startsWith))
                .noneMatch(jar -> jar.startsWith("amqp-client"));
        assertThat(dependencies(plainNode)).as("the plain Java node's class path")
                .allMatch(jar -> NODE_DEPENDENCIES.stream().anyMatch(jar::startsWith))
                .anyMatch(jar -> jar.startsWith("amqp-client"));
        try (OrchestrProcess node = cluster.run("plain-java-example",
                List.of(Cluster.java(), "-jar", plainNode.toString()),
                EXAMPLES, OrchestrProcess.freePort(), Map.of("ORCHESTR_NODE_NAME", "greeter-plain"))) {
            OrchestrProcess creator = cluster.run("rest-client-example",
                    List.of(Cluster.java(), "-jar", client.toString(), managerUrl(), "hello-plain", "greet", "Ada"),
                    EXAMPLES, OrchestrProcess.freePort(), Map.of());

            assertThat(creator.awaitExitCode(DEADLINE)).as("exit code; its log:\n%s", creator.log()).isZero();
            assertThat(creator.log()).contains("job hello-plain is Processing on node greeter-plain");
            awaitLine(node, "Hello, Ada! (job hello-plain, epoch ");
            cancel(cluster.client().jobs(JobFilter.withName("hello-plain"), PageRequest.first(10)).items().getFirst(),
                    node);
        }
    }

    @Test
    void theQuarkusExampleRunsAJobWithItsJobTypeBean() {
        try (OrchestrProcess node = cluster.run("quarkus-example",
                List.of(Cluster.java(), "-jar", built("quarkus", "target/quarkus-app/quarkus-run.jar").toString()),
                EXAMPLES, OrchestrProcess.freePort(), Map.of())) {
            node.awaitReady(Cluster.START_TIMEOUT);

            JobView created = cluster.client().createJob(NewJob.of("hello-quarkus", "Grace").withType("greet"));
            JobView running = cluster.client().awaitStatus(created.id(), JobStatus.Processing, DEADLINE);

            assertThat(running.serverName()).isEqualTo("greeter-quarkus");
            awaitLine(node, "Hello, Grace! (job hello-quarkus, epoch ");
            cancel(running, node);
        }
    }

    @Test
    void theSingleProcessExampleIsAManagerThatRunsItsOwnHandlerBeansInItsOwnJvm() {
        TestServices.Database database = cluster.database();
        int port = OrchestrProcess.freePort();
        Path jar = built("single-process", "target/quarkus-app/quarkus-run.jar");
        try (OrchestrProcess single = cluster.run("single-process-example",
                List.of(Cluster.java(), "-jar", jar.toString()),
                EXAMPLES, port, Map.of("ORCHESTR_MANAGER_NODE_SLOTS", "2", "ORCHESTR_DB_URL", database.jdbcUrl(),
                        "ORCHESTR_DB_USER", database.user(), "ORCHESTR_DB_PASSWORD", database.password()))) {
            single.awaitReady(Cluster.START_TIMEOUT);
            OrchestratorClient client = OrchestratorClient.create(URI.create("http://127.0.0.1:" + port),
                    AdminToken.get().token());

            JobView created = client.createJob(NewJob.of("standup", "stand-up at 10:00").withType("remind"));
            JobView running = client.awaitStatus(created.id(), JobStatus.Processing, DEADLINE);

            assertThat(running.serverName()).isEqualTo("single-process");
            assertThat(client.server(running.serverId()).maxWorkersCount()).isEqualTo(2);
            awaitLine(single, "Reminder from standup on single-process: stand-up at 10:00");
            cancel(running, single, "Reminder standup cancelled");
        }
    }

    private static void cancel(JobView job, OrchestrProcess node) {
        cancel(job, node, "Goodbye, ");
    }

    private static void cancel(JobView job, OrchestrProcess node, String lastLine) {
        cluster.client().markOnDeleting(job.id());
        cluster.client().awaitStatus(job.id(), JobStatus.Deleted, DEADLINE);
        awaitLine(node, lastLine);
    }

    private static void awaitLine(OrchestrProcess process, String line) {
        await().atMost(DEADLINE).failFast(() -> !process.isAlive())
                .untilAsserted(() -> assertThat(process.log()).contains(line));
    }

    /** The jar names on {@code jar}'s class path, as its manifest names them (in {@code target/lib}). */
    private static List<String> dependencies(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            String classPath = file.getManifest().getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            return Stream.of(classPath.trim().split(" +")).map(entry -> entry.substring(entry.lastIndexOf('/') + 1))
                    .toList();
        }
    }

    private static Path built(String example, String artifact) {
        Path path = EXAMPLES.resolve(example).resolve(artifact);
        assertThat(path).as("built by `./mvnw install -pl examples -am`").exists();
        return path;
    }

    private static String managerUrl() {
        return "http://127.0.0.1:" + cluster.manager().httpPort();
    }
}
