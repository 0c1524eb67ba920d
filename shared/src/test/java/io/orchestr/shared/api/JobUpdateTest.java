package io.orchestr.shared.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestr.shared.json.WireCodec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JobUpdateTest {
    private static final WireCodec CODEC = new WireCodec();

    @Test
    void aPatchLeavesOutWhatItDoesNotChangeAndSendsNullForWhatItClears() {
        JobUpdate update = JobUpdate.none().withArgument("a=1").withoutParams().withRestart("never")
                .withMaxRestarts(2).withHeartbeatTimeout(Duration.ofMillis(1500)).withoutTimeout();

        assertThat(update.toMergePatch()).isEqualTo(json("{\"argument\": \"a=1\", \"params\": null,"
                + " \"restart\": \"never\", \"maxRestarts\": 2, \"heartbeatTimeout\": \"PT1.5S\", \"timeout\": null}"));
        assertThat(JobUpdate.none().toMergePatch()).isEqualTo(json("{}"));
        assertThat(JobUpdate.none().isEmpty()).isTrue();
        assertThat(JobUpdate.none().withoutArgument().toMergePatch()).isEqualTo(json("{\"argument\": null}"));
    }

    @Test
    void appliedToAJobItSetsClearsAndKeepsFieldsAndMergesParams() {
        NewJob job = NewJob.of("n", "old").withParams(Map.of("a", 1, "b", Map.of("c", 2))).withMaxRestarts(3)
                .withTimeout(Duration.ofMinutes(1));

        NewJob patched = JobUpdate.none().withArgument("new").withoutMaxRestarts()
                .withParams(json("{\"b\": {\"c\": null, \"d\": 4}, \"e\": [1]}")).applyTo(job);

        assertThat(patched).isEqualTo(new NewJob("n", "new", null, null, null, null, null,
                json("{\"a\": 1, \"b\": {\"d\": 4}, \"e\": [1]}"), Duration.ofMinutes(1)));
        assertThat(JobUpdate.none().withParams("text").applyTo(job).params()).isEqualTo(json("\"text\""));
        assertThat(JobUpdate.none().withParams(null).applyTo(job).params()).isNull();
    }

    private static JsonNode json(String text) {
        return CODEC.decode(text.getBytes(StandardCharsets.UTF_8), JsonNode.class);
    }
}
