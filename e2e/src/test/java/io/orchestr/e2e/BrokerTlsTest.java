package io.orchestr.e2e;

import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.shared.JobStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A manager and a node on a broker node of the test's own that listens only with TLS and asks clients for a
 * certificate, all of it signed by an authority the test made ({@link TestCertificates}): they connect with the
 * {@code ORCHESTR_RABBITMQ_TLS*} settings and run a job; a node without TLS, trusting another authority, or
 * connecting to an address the certificate does not name, never connects and logs why ({@link DatabaseTlsTest}
 * covers the manager's database).
 */
class BrokerTlsTest {
    private static final Duration FAILURE_LOGGED = Duration.ofSeconds(60);
    private static Cluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.onOwnBroker("broker-tls", OwnBroker.startWithTls(TestCertificates.create()), Map.of());
        cluster.startNode("tls-node", 2);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aManagerAndANodeOverTlsWithClientCertificatesRunAJob() {
        Jobs jobs = new Jobs(cluster);
        UUID id = jobs.createTicker("over-tls");

        jobs.awaitAllProcessing(List.of(id), Duration.ofSeconds(30));
        jobs.awaitAllTicking(List.of(id), Duration.ofSeconds(30));
        assertThat(cluster.client().job(id).status()).isEqualTo(JobStatus.Processing);
    }

    @Test
    void aNodeWithoutTlsNeverConnectsToTheTlsOnlyBroker() {
        OrchestrProcess node = cluster.launchNodeWith("plain-node", Map.of("ORCHESTR_RABBITMQ_TLS", "false"));

        awaitBrokerFailureLogged(node);
        assertThat(node.log()).contains("did not answer in AMQP")
                .contains("connect with TLS (ORCHESTR_RABBITMQ_TLS=true)")
                .doesNotContain(") connected to ");
    }

    @Test
    void aNodeThatTrustsAnotherAuthorityNeverConnectsAndLogsTheCertificateCheck() {
        OrchestrProcess node = cluster.launchNodeWith("distrusting-node", Map.of(
                "ORCHESTR_RABBITMQ_TLS_TRUST_STORE", TestCertificates.create().otherTrustStore().toString()));

        awaitBrokerFailureLogged(node);
        assertThat(node.log()).contains("the TLS handshake failed")
                .contains("unable to find valid certification path")
                .doesNotContain(") connected to ");
    }

    @Test
    void aNodeVerifiesTheBrokersHostNameUnlessToldNotTo() {
        OrchestrProcess verifying = cluster.launchNodeWith("by-address-node",
                Map.of("ORCHESTR_RABBITMQ_HOST", "127.0.0.1"));
        OrchestrProcess trusting = cluster.launchNodeWith("unverifying-node",
                Map.of("ORCHESTR_RABBITMQ_HOST", "127.0.0.1", "ORCHESTR_RABBITMQ_TLS_VERIFY_HOSTNAME", "false"));

        awaitBrokerFailureLogged(verifying);
        assertThat(verifying.log()).as("the broker's certificate names localhost, not 127.0.0.1")
                .contains("the TLS handshake failed (No subject alternative names matching IP address 127.0.0.1")
                .doesNotContain(") connected to ");
        trusting.awaitReady(Cluster.START_TIMEOUT);
        assertThat(trusting.log()).contains("hostname NOT verified").contains(") connected to ");
    }

    private static void awaitBrokerFailureLogged(OrchestrProcess node) {
        await(node.name() + " logs that it cannot connect to RabbitMQ").atMost(FAILURE_LOGGED)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> node.log().matches("(?s).*could not (re)?connect to RabbitMQ.*"));
    }
}
