package io.orchestr.e2e;

import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.JobView;
import io.orchestr.testing.TcpProxy;
import io.orchestr.testing.TestServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Managers and nodes start in any order with their services: each started while the broker (and, for a manager,
 * the database) does not answer yet stays up, not ready, says what it waits for, and works once the service
 * answers. A service comes up late as a proxy that starts listening on the port the process was told.
 */
class StartInAnyOrderTest {
    private static final Duration WAITING = Duration.ofSeconds(60);
    private static final Pattern HOST_PORT = Pattern.compile("//([^/:]+):(\\d+)/");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : opened.reversed()) {
            closeable.close();
        }
    }

    @Test
    void aNodeStartedBeforeItsBrokerWaitsNotReadyAndRunsJobsOnceTheBrokerAnswers() throws IOException {
        Cluster cluster = open(Cluster.withManager("late-broker-node"));
        int brokerPort = OrchestrProcess.freePort();
        OrchestrProcess node = cluster.launchNodeFindingBrokerAt("early-node", 2, brokerPort);

        awaitLog(node, "Waiting for the broker at 127.0.0.1:" + brokerPort);
        assertNotReady(node, "the broker at 127.0.0.1:" + brokerPort);
        TestServices.Broker broker = TestServices.get().broker();
        open(TcpProxy.onPort(brokerPort, new InetSocketAddress(broker.host(), broker.port()), 16));

        node.awaitReady(WAITING);
        assertThat(node.log()).contains("Done waiting for the broker at 127.0.0.1:" + brokerPort);
        assertRunsAJob(cluster, node);
    }

    @Test
    void aManagerStartedBeforeItsDatabaseAndBrokerWaitsForEachInTurnAndThenWorks() throws IOException {
        TestServices.Database database = TestServices.get().newDatabase("late-services");
        Matcher db = HOST_PORT.matcher(database.jdbcUrl());
        assertThat(db.find()).as("host and port in %s", database.jdbcUrl()).isTrue();
        int databasePort = OrchestrProcess.freePort();
        int brokerPort = OrchestrProcess.freePort();
        Cluster cluster = open(Cluster.withManagerStarting("late-services", database, Map.of(
                "ORCHESTR_DB_URL", db.replaceFirst("//127.0.0.1:" + databasePort + "/"),
                "ORCHESTR_RABBITMQ_HOST", "127.0.0.1",
                "ORCHESTR_RABBITMQ_PORT", Integer.toString(brokerPort))));
        OrchestrProcess manager = cluster.manager();

        awaitLog(manager, "Waiting for the database at jdbc:mysql://127.0.0.1:" + databasePort);
        assertNotReady(manager, "the database at");
        open(TcpProxy.onPort(databasePort, new InetSocketAddress(db.group(1), Integer.parseInt(db.group(2))), 32));
        awaitLog(manager, "Waiting for the broker at 127.0.0.1:" + brokerPort);
        assertNotReady(manager, "the broker at 127.0.0.1:" + brokerPort);
        TestServices.Broker broker = TestServices.get().broker();
        open(TcpProxy.onPort(brokerPort, new InetSocketAddress(broker.host(), broker.port()), 16));

        manager.awaitReady(WAITING);
        assertThat(manager.log()).contains("this manager works now");
        assertRunsAJob(cluster, cluster.startNode("node-1", 2));
    }

    private static void assertRunsAJob(Cluster cluster, OrchestrProcess node) {
        UUID id = new Jobs(cluster).createTicker("after-the-wait");
        JobView running = cluster.client().awaitStatus(id, JobStatus.Processing, Duration.ofSeconds(30));
        assertThat(running.serverName()).isEqualTo(node.name());
        await("the job ticking on " + node.name()).atMost(Duration.ofSeconds(30))
                .until(() -> cluster.tickLog("after-the-wait").lastNodeName().orElse("").equals(node.name()));
    }

    private static void awaitLog(OrchestrProcess process, String line) {
        await(process.name() + " saying '" + line + "'").atMost(WAITING)
                .until(() -> process.log().contains(line));
        assertThat(process.isAlive()).as("%s still running", process.name()).isTrue();
    }

    /** Readiness is down and names what the process waits for. */
    private static void assertNotReady(OrchestrProcess process, String waitingFor) {
        await(process.name() + " not ready, waiting for " + waitingFor).atMost(WAITING).ignoreExceptions()
                .until(() -> {
                    HttpResponse<String> ready = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + process.httpPort() + "/q/health/ready")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    return ready.statusCode() == 503 && ready.body().contains(waitingFor);
                });
    }

    private <T extends AutoCloseable> T open(T closeable) {
        opened.add(closeable);
        return closeable;
    }
}
