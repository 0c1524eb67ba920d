package io.orchestr.manager.job;

import io.orchestr.manager.InvalidRequestException;
import io.orchestr.shared.RestartMode;
import io.orchestr.shared.api.JobUpdate;
import io.orchestr.shared.api.NewJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobSpecTest {
    private static final NewJob JOB = NewJob.of("job", "");

    @Test
    void aJobAsksForNoRestartLimitsByDefault() {
        JobSpec spec = JobSpec.of(JOB);

        assertThat(spec.maxRestarts()).isNull();
        assertThat(spec.heartbeatTimeout()).isNull();
    }

    @Test
    void aPipelineRestartsNeverByDefaultAndAsAskedOtherwise() {
        assertThat(JobSpec.of(JOB.withType("pipeline")).restart()).isEqualTo(RestartMode.NEVER);
        assertThat(JobSpec.of(new NewJob("p", "", "pipeline", null, "on-failure")).restart())
                .isEqualTo(RestartMode.ON_FAILURE);
        assertThat(JobSpec.of(JOB).restart()).isEqualTo(RestartMode.ON_FAILURE);
    }

    @Test
    void zeroRestartsAndATimeoutOfOneSecondToOneDayAreAccepted() {
        assertThat(JobSpec.of(JOB.withMaxRestarts(0)).maxRestarts()).isZero();
        assertThat(JobSpec.of(JOB.withHeartbeatTimeout(Duration.ofSeconds(1))).heartbeatTimeout())
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(JobSpec.of(JOB.withHeartbeatTimeout(Duration.ofDays(1))).heartbeatTimeout())
                .isEqualTo(Duration.ofDays(1));
        assertThat(JobSpec.of(JOB.withHeartbeatTimeout(Duration.ofMillis(2500))).heartbeatTimeout())
                .isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void aNegativeMaximumOfRestartsIsRefusedNamingTheField() {
        assertRefused(JOB.withMaxRestarts(-1), "maxRestarts");
    }

    @Test
    void aTimeoutOutsideOneSecondToOneDayOrFinerThanMillisecondsIsRefusedNamingTheField() {
        assertRefused(JOB.withHeartbeatTimeout(Duration.ofMillis(999)), "heartbeatTimeout");
        assertRefused(JOB.withHeartbeatTimeout(Duration.ofSeconds(-5)), "heartbeatTimeout");
        assertRefused(JOB.withHeartbeatTimeout(Duration.ofDays(1).plusMillis(1)), "heartbeatTimeout");
        assertRefused(JOB.withHeartbeatTimeout(Duration.ofSeconds(1).plusNanos(1)), "heartbeatTimeout");
    }

    @ParameterizedTest(name = "a name with U+{0} is refused naming the field")
    @ValueSource(strings = {"000D", "000A", "0000", "0085", "202E", "200B", "FEFF"})
    void aNameWithAControlOrFormatCharacterIsRefusedNamingTheField(String codePoint) {
        String character = Character.toString(Integer.parseInt(codePoint, 16));

        assertRefused(NewJob.of("x" + character + "y", ""), "name");
    }

    @ParameterizedTest(name = "a type with U+{0} is refused naming the field")
    @ValueSource(strings = {"0009", "0085", "00A0", "202E", "200B"})
    void aTypeWithASpaceControlOrFormatCharacterIsRefusedNamingTheField(String codePoint) {
        String character = Character.toString(Integer.parseInt(codePoint, 16));

        assertRefused(JOB.withType("ticker" + character), "type");
    }

    @Test
    void aNameWithSpacesAndLettersOfAnyScriptIsAccepted() {
        assertThat(JobSpec.of(NewJob.of("nightly import — Zürich 東京", "")).name())
                .isEqualTo("nightly import — Zürich 東京");
    }

    @Test
    void anExecJobRestartsNeverByDefaultOrWhenItsRestartIsClearedAndNamesItsRolesWithTheirFields() {
        NewJob exec = JOB.withType("exec").withParams(Map.of("sequence", List.of(
                Map.of("command", "a", "role", "db"), Map.of("command", List.of("b"), "role", "web"))));

        assertThat(JobSpec.of(exec).restart()).isEqualTo(RestartMode.NEVER);
        assertThat(JobSpec.of(JobUpdate.none().withRestart("always").applyTo(exec)).restart())
                .isEqualTo(RestartMode.ALWAYS);
        assertThat(JobSpec.of(JobUpdate.none().withoutRestart().applyTo(exec)).restart())
                .isEqualTo(RestartMode.NEVER);
        assertThat(JobSpec.of(exec).execRoles()).containsExactly(Map.entry("db", "params.sequence[0].role"),
                Map.entry("web", "params.sequence[1].role"));
        assertThat(JobSpec.of(JOB.withParams(Map.of("role", "db"))).execRoles()).as("not an exec job").isEmpty();
    }

    @Test
    void anExecJobWithoutWorkIsRefusedNamingTheField() {
        assertRefused(JOB.withType("exec"), "params");
        assertRefused(JOB.withType("exec").withParams(Map.of("command", List.of())), "params.command");
    }

    private static void assertRefused(NewJob job, String field) {
        assertThatThrownBy(() -> JobSpec.of(job))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo(field))
                .hasMessageContaining(field);
    }
}
