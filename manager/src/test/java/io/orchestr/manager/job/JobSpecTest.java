package io.orchestr.manager.job;

import io.orchestr.manager.InvalidRequestException;
import io.orchestr.shared.api.NewJob;
import org.junit.jupiter.api.Test;

import java.time.Duration;

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

    private static void assertRefused(NewJob job, String field) {
        assertThatThrownBy(() -> JobSpec.of(job))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo(field))
                .hasMessageContaining(field);
    }
}
