package io.orchestr.shared;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.orchestr.shared.api.NewJob;
import io.orchestr.shared.api.ServerView;
import io.orchestr.shared.json.MalformedMessageException;
import io.orchestr.shared.json.WireCodec;
import io.orchestr.shared.wire.JobMessage;
import io.orchestr.shared.wire.ToManager;
import io.orchestr.shared.wire.ToNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WireCodecTest {
    private final WireCodec codec = new WireCodec();

    @Test
    void everyMessageToTheManagerSurvivesARoundTrip() {
        UUID job = UUID.randomUUID();
        UUID node = UUID.randomUUID();
        List<ToManager> messages = List.of(
                new ToManager.Claim(job, node, 3L),
                new ToManager.Snapshot(node, "server-1", 4, List.of("default"), Instant.parse("2026-01-01T00:00:00Z"),
                        List.of(new ToManager.SnapshotEntry(job, 3, ToManager.HeldState.RUNNING,
                                Instant.parse("2026-01-01T00:00:01Z"), 1, "boom"))),
                new ToManager.JobEnded(job, node, 3, ToManager.Outcome.CANCELLED, 0, null),
                new ToManager.HoldAnswer(job, node, UUID.randomUUID(), true, 3L),
                new ToManager.NodeLeft(node));
        for (ToManager message : messages) {
            assertThat(codec.decodeToManager(codec.encode(message))).isEqualTo(message);
        }
    }

    @Test
    void everyMessageToANodeSurvivesARoundTrip() {
        UUID job = UUID.randomUUID();
        List<ToNode> messages = List.of(new ToNode.Grant(job, 7, 3L), new ToNode.Drop(job, "deleted", 3L),
                new ToNode.Wait(job, UUID.randomUUID(), 3L), new ToNode.Cancel(job), new ToNode.Stop(job, 2, "stale"),
                new ToNode.HoldQuestion(job, UUID.randomUUID(), 3L));
        for (ToNode message : messages) {
            assertThat(codec.decodeToNode(codec.encode(message))).isEqualTo(message);
        }
    }

    @Test
    void aDrainAskAndASnapshotReportingADrainSurviveARoundTripAndAnOlderNodesSnapshotDecodesWithoutOne() {
        UUID node = UUID.randomUUID();
        ToManager.Snapshot drained = new ToManager.Snapshot(node, "s", 2, List.of("default"),
                Instant.parse("2026-01-01T00:00:00Z"), List.of(), true, 0,
                new ToManager.NodeDrain(ToManager.DrainState.DRAINED, 4));
        ToNode ask = new ToNode.Drain(true, 5);

        assertThat(codec.decodeToManager(codec.encode(drained))).isEqualTo(drained);
        assertThat(new String(codec.encode(drained), StandardCharsets.UTF_8))
                .contains("\"drain\":{\"state\":\"DRAINED\",\"seq\":4}");
        assertThat(codec.decodeToNode(codec.encode(ask))).isEqualTo(ask);
        String older = "{\"kind\":\"snapshot\",\"nodeId\":\"" + node + "\",\"nodeName\":\"s\",\"slots\":2,"
                + "\"pools\":[\"default\"],\"sentAt\":\"2026-01-01T00:00:00Z\",\"jobs\":[]}";
        ToManager decoded = codec.decodeToManager(older.getBytes(StandardCharsets.UTF_8));
        assertThat(decoded).isInstanceOfSatisfying(ToManager.Snapshot.class,
                snapshot -> assertThat(snapshot.drain()).isNull());
    }

    @Test
    void aSnapshotOfAnExecNodeKeepsItsRolesAndAnOlderNodesSnapshotRunsNoExecAndServesNoRole() {
        UUID node = UUID.randomUUID();
        ToManager.Snapshot exec = new ToManager.Snapshot(node, "s", 2, List.of("default"),
                Instant.parse("2026-01-01T00:00:00Z"), List.of(), true, 0, null, true, List.of("db", "web"));

        assertThat(codec.decodeToManager(codec.encode(exec))).isEqualTo(exec);
        String older = "{\"kind\":\"snapshot\",\"nodeId\":\"" + node + "\",\"nodeName\":\"s\",\"slots\":2,"
                + "\"pools\":[\"default\"],\"sentAt\":\"2026-01-01T00:00:00Z\",\"jobs\":[]}";
        assertThat(codec.decodeToManager(older.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(ToManager.Snapshot.class, snapshot -> {
                    assertThat(snapshot.exec()).isFalse();
                    assertThat(snapshot.roles()).isEmpty();
                });
    }

    @Test
    void aSnapshotKeepsTheNodesJobTypesAndAnOlderNodesSaysNone() {
        UUID node = UUID.randomUUID();
        ToManager.Snapshot typed = new ToManager.Snapshot(node, "s", 2, List.of("default"),
                Instant.parse("2026-01-01T00:00:00Z"), List.of(), true, 0, null, false, List.of(),
                List.of("sync,orders", "ticker"));

        assertThat(codec.decodeToManager(codec.encode(typed))).isEqualTo(typed);
        assertThat(codec.decodeToManager(snapshot(node, 2, "[\"default\"]", "[]")))
                .isInstanceOfSatisfying(ToManager.Snapshot.class, snapshot -> assertThat(snapshot.types()).isNull());
    }

    @Test
    void aSnapshotWithTooManyOrInvalidJobTypesIsMalformed() {
        UUID node = UUID.randomUUID();
        String tooMany = "[" + String.join(",", java.util.stream.IntStream.rangeClosed(0,
                ToManager.Snapshot.MAX_TYPES).mapToObj(i -> "\"t" + i + "\"").toList()) + "]";

        assertThatThrownBy(() -> codec.decodeToManager(typedSnapshot(node, tooMany)))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("types");
        assertThatThrownBy(() -> codec.decodeToManager(typedSnapshot(node, "[\"a b\"]")))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("types");
    }

    private static byte[] typedSnapshot(UUID node, String types) {
        return ("{\"kind\": \"snapshot\", \"nodeId\": \"" + node + "\", \"nodeName\": \"n\", \"slots\": 2,"
                + " \"pools\": [\"default\"], \"sentAt\": \"2026-12-03T10:00:00Z\", \"jobs\": [], \"types\": "
                + types + "}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aServerViewOfAnOlderManagerRunsNoExecAndServesNoRole() {
        String older = "{\"id\":\"" + UUID.randomUUID() + "\",\"name\":\"s\",\"maxWorkersCount\":2,"
                + "\"pools\":[\"default\"],\"status\":\"Active\",\"orchestratedJobs\":[],\"isDeleted\":false}";

        ServerView view = codec.decode(older.getBytes(StandardCharsets.UTF_8), ServerView.class);

        assertThat(view.exec()).isFalse();
        assertThat(view.roles()).isEmpty();
        assertThat(view.types()).isNull();
    }

    @Test
    void aJobMessageWithoutOptionalFieldsGetsDefaults() {
        UUID job = UUID.randomUUID();
        String json = "{\"jobId\":\"" + job + "\",\"name\":\"n\",\"type\":\"t\",\"pool\":\"p\",\"future\":1}";
        JobMessage decoded = codec.decodeJob(json.getBytes(StandardCharsets.UTF_8));
        assertThat(decoded).isEqualTo(new JobMessage(job, "n", "", "t", "p", RestartMode.ON_FAILURE, null, null));
        assertThat(new String(codec.encode(decoded), StandardCharsets.UTF_8)).contains("\"restart\":\"on-failure\"");
    }

    @Test
    void aJobMessagesRestartLimitsSurviveARoundTripWithTheTimeoutInIso8601() {
        JobMessage message = new JobMessage(UUID.randomUUID(), "n", "a", "t", "p", RestartMode.NEVER, 2,
                Duration.ofSeconds(30));

        byte[] encoded = codec.encode(message);

        assertThat(new String(encoded, StandardCharsets.UTF_8))
                .contains("\"maxRestarts\":2").contains("\"heartbeatTimeout\":\"PT30S\"");
        assertThat(codec.decodeJob(encoded)).isEqualTo(message);
    }

    @Test
    void aJobMessageWithANegativeMaximumOrANonPositiveTimeoutIsMalformed() {
        String base = "{\"jobId\":\"" + UUID.randomUUID() + "\",\"name\":\"n\",\"type\":\"t\",\"pool\":\"p\",";
        assertThatThrownBy(() -> codec.decodeJob((base + "\"maxRestarts\":-1}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("maxRestarts");
        assertThatThrownBy(() -> codec.decodeJob((base + "\"heartbeatTimeout\":\"PT0S\"}")
                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("heartbeatTimeout");
    }

    @Test
    void paramsResultsTimeoutsAndProgressSurviveARoundTripAndOlderPeersFormsDecodeWithoutThem() {
        UUID job = UUID.randomUUID();
        UUID node = UUID.randomUUID();
        JsonNodeFactory json = JsonNodeFactory.instance;
        JobMessage message = new JobMessage(job, "n", "", "t", "p", RestartMode.NEVER, null, null,
                json.objectNode().put("width", 640), Duration.ofMinutes(10));
        ToManager ended = new ToManager.JobEnded(job, node, 3, ToManager.Outcome.COMPLETED, 0, null,
                json.arrayNode().add(1).add("two"), new Progress(1, 0, null, Instant.parse("2026-01-01T00:00:02Z")));
        ToManager snapshot = new ToManager.Snapshot(node, "s", 1, List.of("p"), Instant.parse("2026-01-01T00:00:00Z"),
                List.of(new ToManager.SnapshotEntry(job, 3, ToManager.HeldState.RUNNING, null, 0, null,
                        new Progress(3, 10, "three", Instant.parse("2026-01-01T00:00:01Z")))));

        assertThat(new String(codec.encode(message), StandardCharsets.UTF_8)).contains("\"timeout\":\"PT10M\"");
        assertThat(codec.decodeJob(codec.encode(message))).isEqualTo(message);
        assertThat(codec.decodeToManager(codec.encode(ended))).isEqualTo(ended);
        assertThat(codec.decodeToManager(codec.encode(snapshot))).isEqualTo(snapshot);
        ToManager olderEnd = codec.decodeToManager(("{\"kind\":\"job-ended\",\"jobId\":\"" + job
                + "\",\"nodeId\":\"" + node + "\",\"epoch\":3,\"outcome\":\"COMPLETED\",\"restarts\":0}")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(olderEnd).isEqualTo(new ToManager.JobEnded(job, node, 3, ToManager.Outcome.COMPLETED, 0, null));
    }

    @Test
    void checkpointsAndGrantsCarryingOneSurviveARoundTripAndAnOlderManagersGrantDecodesWithoutOne() {
        UUID job = UUID.randomUUID();
        UUID node = UUID.randomUUID();
        JsonNodeFactory json = JsonNodeFactory.instance;
        ToManager checkpoint = new ToManager.Checkpoint(job, node, 2, 7, json.objectNode().put("counter", 41));
        ToNode grant = new ToNode.Grant(job, 3, 5L).withCheckpoint(json.objectNode().put("counter", 41),
                Instant.parse("2026-01-01T00:00:03Z"));
        ToNode refused = new ToNode.CheckpointReply(job, 7, false, "stale run");

        assertThat(codec.decodeToManager(codec.encode(checkpoint))).isEqualTo(checkpoint);
        assertThat(codec.decodeToNode(codec.encode(grant))).isEqualTo(grant);
        assertThat(codec.decodeToNode(codec.encode(refused))).isEqualTo(refused);
        ToNode olderGrant = codec.decodeToNode(("{\"kind\":\"grant\",\"jobId\":\"" + job
                + "\",\"epoch\":3,\"claim\":5}").getBytes(StandardCharsets.UTF_8));
        assertThat(olderGrant).isEqualTo(new ToNode.Grant(job, 3, 5L));
        assertThat(((ToNode.Grant) olderGrant).checkpoint()).isNull();
    }

    @Test
    void aGrantOfAnEditedJobCarriesItsSpecAndOlderPeersFormsDecodeWithoutRevisionOrSpec() {
        UUID job = UUID.randomUUID();
        JobMessage edited = new JobMessage(job, "n", "v2", "t", "p", RestartMode.NEVER, 1, null,
                JsonNodeFactory.instance.objectNode().put("k", 2), Duration.ofMinutes(1), 3L);
        ToNode grant = new ToNode.Grant(job, 4, 5L).withSpec(edited);

        assertThat(codec.decodeToNode(codec.encode(grant))).isEqualTo(grant);
        assertThat(codec.decodeJob(codec.encode(edited)).revision()).isEqualTo(3);
        assertThat(new String(codec.encode(new ToNode.Grant(job, 4, 5L)), StandardCharsets.UTF_8))
                .as("a grant of a job never edited stays as small as before").doesNotContain("spec");
        JobMessage older = codec.decodeJob(("{\"jobId\":\"" + job + "\",\"name\":\"n\",\"type\":\"t\","
                + "\"pool\":\"p\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(older.revision()).isZero();
    }

    @Test
    void aNewJobSendsItsHeartbeatTimeoutInIso8601() {
        NewJob job = NewJob.of("n", "").withMaxRestarts(3).withHeartbeatTimeout(Duration.ofMillis(1500));

        assertThat(new String(codec.encode(job), StandardCharsets.UTF_8))
                .contains("\"maxRestarts\":3").contains("\"heartbeatTimeout\":\"PT1.5S\"");
    }

    @Test
    void aClaimOrReplyFromAPeerThatPredatesClaimIdsDecodesWithoutOne() {
        UUID job = UUID.randomUUID();
        UUID node = UUID.randomUUID();

        ToManager claim = codec.decodeToManager(("{\"kind\":\"claim\",\"jobId\":\"" + job + "\",\"nodeId\":\""
                + node + "\"}").getBytes(StandardCharsets.UTF_8));
        ToNode grant = codec.decodeToNode(("{\"kind\":\"grant\",\"jobId\":\"" + job + "\",\"epoch\":4}")
                .getBytes(StandardCharsets.UTF_8));

        assertThat(claim).isEqualTo(new ToManager.Claim(job, node, 0L));
        assertThat(grant).isEqualTo(new ToNode.Grant(job, 4, 0L));
    }

    @Test
    void aSnapshotNoNodeSendsIsMalformed() {
        UUID node = UUID.randomUUID();
        String tooManyJobs = "[" + String.join(",", java.util.Collections.nCopies(21, "{\"jobId\": \""
                + UUID.randomUUID() + "\", \"epoch\": 1, \"state\": \"RUNNING\", \"restarts\": 0}")) + "]";

        assertThatThrownBy(() -> codec.decodeToManager(snapshot(node, -1, "[\"default\"]", "[]")))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("slots -1");
        assertThatThrownBy(() -> codec.decodeToManager(snapshot(node, 2, "[\"default\"]", tooManyJobs)))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("more than a node of 2 slots");
        assertThatThrownBy(() -> codec.decodeToManager(snapshot(node, 2, "[\"a b\\n\"]", "[]")))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("pools");
        assertThat(codec.decodeToManager(snapshot(node, 2, "[\"default\"]", "[]")))
                .isInstanceOf(ToManager.Snapshot.class);
    }

    private static byte[] snapshot(UUID node, int slots, String pools, String jobs) {
        return ("{\"kind\": \"snapshot\", \"nodeId\": \"" + node + "\", \"nodeName\": \"n\", \"slots\": " + slots
                + ", \"pools\": " + pools + ", \"sentAt\": \"2026-12-03T10:00:00Z\", \"jobs\": " + jobs + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aMessageOverTheLimitIsMalformedUnreadEvenWhenItIsValid() {
        byte[] big = ("{\"kind\": \"drop\", \"pad\": \"" + "x".repeat(Limits.MESSAGE) + "\"}")
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> codec.decodeToNode(big)).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("over the " + Limits.MESSAGE + " bytes");
    }

    @Test
    void garbageIsReportedAsMalformedNamingWhatWasExpected() {
        assertThatThrownBy(() -> codec.decodeJob("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("JobMessage");
        assertThatThrownBy(() -> codec.decodeToNode("{\"kind\":\"drop\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("jobId");
        assertThatThrownBy(() -> codec.decodeToManager("{\"kind\":\"nope\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedMessageException.class);
        assertThatThrownBy(() -> codec.decodeToManager("null".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedMessageException.class);
    }
}
