package io.orchestr.shared.api;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class NewJobTest {
    @Test
    void eachWitherChangesItsFieldAndKeepsTheOthers() {
        UUID parent = UUID.randomUUID();
        NewJob job = NewJob.of("export-2", "region=eu").withTimeout(Duration.ofMinutes(5)).withParent(parent)
                .withConcurrencyKey("exports", 2).withGroup("export", 2);

        assertThat(job.group()).isEqualTo("export");
        assertThat(job.index()).isEqualTo(2);
        assertThat(job.parentId()).isEqualTo(parent);
        assertThat(job.concurrencyKey()).isEqualTo("exports");
        assertThat(job.concurrencyLimit()).isEqualTo(2);
        assertThat(job.timeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(job.argument()).isEqualTo("region=eu");
        assertThat(job.withGroup("export", null).index()).isNull();
    }
}
