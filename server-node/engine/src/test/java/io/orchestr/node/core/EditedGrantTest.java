package io.orchestr.node.core;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.orchestr.shared.RestartMode;
import io.orchestr.shared.wire.JobMessage;
import io.orchestr.shared.wire.ToNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A grant carries the job as the managers hold it, and its runs follow that, not the message held: an edit since the
 * message was made, or a copy of the job that no manager made.
 */
class EditedGrantTest {
    private final RecordingEffects effects = new RecordingEffects();

    @Test
    void theRunFollowsTheSpecOfTheGrantWhenItIsANewerRevisionThanTheMessage() {
        HeldJob job = effects.job(1);
        JobMessage held = job.message();
        JobMessage edited = new JobMessage(held.jobId(), held.name(), "edited", held.type(), held.pool(),
                RestartMode.NEVER, 2, null, JsonNodeFactory.instance.objectNode().put("k", 1), Duration.ofMinutes(1),
                1L);
        job.claim();

        job.granted(grantOf(job, edited), null);

        assertThat(job.message()).as("what every run under the grant starts from").isEqualTo(edited);
        assertThat(job.phase()).isEqualTo(JobPhase.RUNNING);
    }

    @Test
    void aGrantWithoutSpecKeepsTheMessage() {
        HeldJob job = effects.job(1);
        JobMessage held = job.message();
        job.claim();

        job.granted(grantOf(job, null), null);

        assertThat(job.message()).isSameAs(held);
    }

    @Test
    void theRunFollowsTheSpecOfTheGrantWhenTheMessageHeldSaysOtherwiseAtTheSameRevision() {
        HeldJob job = effects.job(1);
        JobMessage held = job.message();
        JobMessage stored = new JobMessage(held.jobId(), held.name(), "as stored", held.type(), held.pool(),
                held.restart(), null, null, null, null, 0L);
        job.claim();

        job.granted(grantOf(job, stored), null);

        assertThat(job.message()).as("a forged or stale copy runs as the managers hold the job").isEqualTo(stored);
    }

    @Test
    void aSpecOfAnotherJobIsIgnored() {
        HeldJob job = effects.job(1);
        JobMessage held = job.message();
        JobMessage other = effects.job(2).message();
        job.claim();

        job.granted(grantOf(job, other), null);

        assertThat(job.message()).isSameAs(held);
    }

    /** A grant under epoch 1 of {@code job}'s claim that carries {@code spec}. */
    private static ToNode.Grant grantOf(HeldJob job, JobMessage spec) {
        return new ToNode.Grant(job.id(), 1, job.claimId(), null, null, spec);
    }
}
