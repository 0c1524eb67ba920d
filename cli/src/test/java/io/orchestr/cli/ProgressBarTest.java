package io.orchestr.cli;

import io.orchestr.shared.Progress;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressBarTest {
    private static final Instant AT = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void aKnownTotalDrawsABarWithItsPercentage() {
        assertThat(ProgressBar.of(new Progress(5, 10, "copying", AT))).isEqualTo("[#####.....] 50% 5/10 copying");
        assertThat(ProgressBar.of(new Progress(10, 10, null, AT))).isEqualTo("[##########] 100% 10/10");
    }

    @Test
    void anUnknownTotalShowsTheCountAndMoreThanTheTotalFillsTheBar() {
        assertThat(ProgressBar.of(new Progress(42, 0, "rows", AT))).isEqualTo("42 rows");
        assertThat(ProgressBar.of(new Progress(12, 10, null, AT))).isEqualTo("[##########] 100% 12/10");
        assertThat(ProgressBar.of(null)).isNull();
    }
}
