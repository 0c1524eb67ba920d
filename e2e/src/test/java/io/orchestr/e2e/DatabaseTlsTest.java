package io.orchestr.e2e;

import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.NewJob;
import io.orchestr.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The manager on a MariaDB server of the test's own that accepts only TLS connections, its certificate signed by an
 * authority the test made ({@link TestCertificates}): with {@code ORCHESTR_DB_TLS_MODE=VERIFY_IDENTITY} and that
 * authority's trust store it works; trusting another authority, or without TLS, it never starts and logs why.
 */
class DatabaseTlsTest {
    private static final Duration FAILURE_LOGGED = Duration.ofSeconds(60);
    private static TestCertificates certificates;
    private static OwnDatabase database;
    private static Cluster cluster;

    @BeforeAll
    static void startCluster() {
        certificates = TestCertificates.create();
        database = OwnDatabase.startWithTls(Path.of(System.getProperty("orchestr.e2e.logs", "target/e2e-logs"))
                .resolve("own-tls-db-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath(), certificates);
        cluster = Cluster.withManager("db-tls", database.database(), TestServices.get().broker(), Map.of(
                "ORCHESTR_DB_TLS_MODE", "VERIFY_IDENTITY",
                "ORCHESTR_DB_TLS_TRUST_STORE", certificates.trustStore().toString(),
                "ORCHESTR_DB_TLS_TRUST_STORE_PASSWORD", TestCertificates.PASSWORD));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void aManagerThatVerifiesTheDatabasesCertificateStoresAndReadsJobsOverTls() {
        UUID id = cluster.client().createJob(new NewJob("over-tls", "", "ticker", null, null)).id();

        assertThat(cluster.client().job(id).status()).isEqualTo(JobStatus.Queued);
    }

    @Test
    void aManagerThatTrustsAnotherAuthorityNeverStartsAndLogsTheCertificateCheck() {
        OrchestrProcess manager = cluster.launchManagerWith("distrusting-manager",
                Map.of("ORCHESTR_DB_TLS_TRUST_STORE", certificates.otherTrustStore().toString()));

        awaitLogged(manager, "Path does not chain with any of the trust anchors");
        assertThat(manager.log()).doesNotContain("Installed features");
    }

    @Test
    void aManagerWithoutTlsIsRefusedByTheDatabase() {
        OrchestrProcess manager = cluster.launchManagerWith("plain-manager",
                Map.of("ORCHESTR_DB_TLS_MODE", "DISABLED"));

        // MariaDB 10.11 answers a plain connection under require_secure_transport as a wrong password: the same
        // user and password work over TLS (the first test)
        awaitLogged(manager, "Access denied for user");
        assertThat(manager.log()).doesNotContain("Installed features");
    }

    private static void awaitLogged(OrchestrProcess manager, String text) {
        await(manager.name() + " logs '" + text + "'").atMost(FAILURE_LOGGED).pollInterval(Duration.ofMillis(500))
                .until(() -> manager.log().contains(text));
    }
}
