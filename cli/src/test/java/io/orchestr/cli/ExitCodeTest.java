package io.orchestr.cli;

import io.orchestr.client.AwaitTimeoutException;
import io.orchestr.client.ConflictException;
import io.orchestr.client.NotFoundException;
import io.orchestr.client.OrchestratorException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExitCodeTest {
    @Test
    void eachRefusalOfTheManagerHasTheExitCodeScriptsRelyOn() {
        assertThat(ExitCode.of(new NotFoundException("no job"))).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(ExitCode.of(new ConflictException("taken", null, List.of("a")))).isEqualTo(ExitCode.CONFLICT);
        assertThat(ExitCode.of(new OrchestratorException("who are you", 401))).isEqualTo(ExitCode.NOT_ALLOWED);
        assertThat(ExitCode.of(new OrchestratorException("no", 403))).isEqualTo(ExitCode.NOT_ALLOWED);
        assertThat(ExitCode.of(new OrchestratorException("bad field", 400))).isEqualTo(ExitCode.ERROR);
        assertThat(ExitCode.of(new OrchestratorException("unreachable", 0))).isEqualTo(ExitCode.ERROR);
        assertThat(ExitCode.of(new AwaitTimeoutException("still running"))).isEqualTo(ExitCode.TIMED_OUT);
    }
}
