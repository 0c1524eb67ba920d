package io.orchestr.node.core;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.orchestr.shared.RestartMode;
import io.orchestr.shared.wire.JobMessage;
import io.orchestr.shared.wire.ToNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A grant of an edited job carries the job as edited, and its runs follow that, not the message held. */
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
    void aGrantWithoutSpecOrWithAnOlderOneKeepsTheMessage() {
        HeldJob job = effects.job(1);
        JobMessage held = job.message();
        job.claim();

        job.granted(grantOf(job, null), null);
        assertThat(job.message()).isSameAs(held);

        HeldJob other = effects.job(2);
        JobMessage message = other.message();
        other.claim();
        other.granted(grantOf(other, new JobMessage(message.jobId(), message.name(), "stale", message.type(),
                message.pool(), message.restart(), null, null, null, null, 0L)), null);
        assertThat(other.message()).isSameAs(message);
    }

    /** A grant under epoch 1 of {@code job}'s claim that carries {@code spec}. */
    private static ToNode.Grant grantOf(HeldJob job, JobMessage spec) {
        return new ToNode.Grant(job.id(), 1, job.claimId(), null, null, spec);
    }
}
