package io.orchestr.manager;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.orchestr.client.NotFoundException;
import io.orchestr.client.OrchestratorClient;
import io.orchestr.client.PageRequest;
import io.orchestr.manager.history.HistoryTrimmer;
import io.orchestr.manager.history.JobEvent;
import io.orchestr.manager.history.JobHistory;
import io.orchestr.shared.JobEventKind;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.JobEventView;
import io.orchestr.shared.api.Page;
import io.orchestr.shared.topology.Topology;
import io.orchestr.shared.wire.ToManager;
import io.orchestr.shared.wire.ToManager.HeldState;
import io.orchestr.shared.wire.ToManager.SnapshotEntry;
import io.orchestr.shared.wire.ToNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.orchestr.manager.Api.createJob;
import static io.orchestr.manager.Api.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

/** A job's history: what is recorded where, paging, trimming, and the check for runs that overlap. */
@QuarkusTest
@WithTestResource(value = LocalServices.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class JobHistoryTest {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @Inject
    Topology topology;

    @Inject
    JobHistory history;

    @Inject
    HistoryTrimmer trimmer;

    @Inject
    MeterRegistry registry;

    @TestHTTPResource("/")
    URI baseUri;

    private OrchestratorClient client;
    private FakeNode owner;
    private FakeNode other;
    private UUID job;

    @BeforeEach
    void start() {
        client = OrchestratorClient.create(baseUri);
        owner = FakeNode.start(topology);
        other = FakeNode.start(topology);
        job = createJob(uniqueName("history"));
    }

    @AfterEach
    void stopNodes() {
        owner.close();
        other.close();
    }

    @Test
    void aCreationIsRecordedWithWhoAskedForIt() {
        assertThat(events(job)).singleElement().satisfies(created -> {
            assertThat(created.kind()).isEqualTo(JobEventKind.CREATED);
            assertThat(created.actor()).startsWith("api ").contains("127.0.0.1");
            assertThat(created.at()).isBefore(Instant.now().plusSeconds(1));
            assertThat(created.serverId()).isNull();
        });

        List<String> ids = given().contentType(ContentType.JSON)
                .body(List.of(Map.of("name", uniqueName("batch")), Map.of("name", uniqueName("batch"))))
                .post("/api/jobs/batch").then().statusCode(201).extract().path("id");
        assertThat(ids).allSatisfy(id -> assertThat(kinds(UUID.fromString(id))).containsExactly("created"));
    }

    @Test
    void aGrantNamesTheNodeByItsServerRowAndTheEpoch() {
        owner.send(new ToManager.Snapshot(owner.id, "history-owner", 2, List.of("default"), Instant.now(),
                List.of()));
        await().atMost(FakeNode.DEADLINE).until(() -> given().get("/api/servers/" + owner.id).statusCode() == 200);

        owner.claimGranted(job);

        JobEventView granted = events(job).get(1);
        assertThat(granted.kind()).isEqualTo(JobEventKind.GRANTED);
        assertThat(granted.serverId()).isEqualTo(owner.id);
        assertThat(granted.serverName()).isEqualTo("history-owner");
        assertThat(granted.epoch()).isEqualTo(1);
        assertThat(granted.actor()).as("the manager's own decision").isNull();
        assertThat(owner.claimGranted(job).epoch()).isEqualTo(1);
        assertThat(kinds(job)).as("a repeated claim is the same grant, not a new run")
                .filteredOn(kind -> !kind.equals("heartbeat-lost")).containsExactly("created", "granted");
    }

    @Test
    void aFailoverRecordsTheOldRunsEndBeforeTheNextGrantAndNoOverlap() {
        double overlaps = overlaps();
        owner.claimGranted(job);
        owner.close(); // the broker deletes its control queue, as when a node dies

        assertThat(other.claimGranted(job).epoch()).isEqualTo(2);

        List<JobEventView> events = events(job);
        assertThat(kinds(events)).containsExactly("created", "granted", "stopped", "granted");
        assertRun(events.get(2), owner.id, 1);
        assertThat(events.get(2).detail()).contains("control queue is gone");
        assertThat(events.get(2).actor()).isNull();
        assertRun(events.get(3), other.id, 2);
        assertThat(overlaps()).isEqualTo(overlaps);
    }

    @Test
    void aNodeThatLeavesHandsTheJobBackAndSaysSo() {
        double overlaps = overlaps();
        owner.claimGranted(job);
        owner.leave(job);
        other.claimGranted(job);

        List<JobEventView> events = events(job);
        assertThat(kinds(events)).containsExactly("created", "granted", "stopped", "granted");
        assertRun(events.get(2), owner.id, 1);
        assertThat(events.get(2).actor()).isEqualTo("node " + owner.id);
        assertThat(events.get(2).detail()).contains("left cleanly");
        assertThat(overlaps()).isEqualTo(overlaps);
    }

    @Test
    void theFirstSnapshotThatShowsTheRunRunningIsItsStart() {
        owner.claimGranted(job);
        for (int i = 0; i < 3; i++) {
            owner.send(new ToManager.Snapshot(owner.id, "starter", 2, List.of("default"), Instant.now(),
                    List.of(new SnapshotEntry(job, 1, HeldState.RUNNING, Instant.now(), 0, null))));
        }

        await().atMost(FakeNode.DEADLINE).until(() -> kinds(job).contains("started"));
        // the later snapshots added nothing (the node goes Lost 2 s after its last one: heartbeat-lost may follow)
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> kinds(job).stream().filter("started"::equals).count() == 1);
        assertThat(kinds(job)).startsWith("created", "granted", "started");
        JobEventView started = events(job).get(2);
        assertRun(started, owner.id, 1);
        assertThat(started.serverName()).isEqualTo("starter");
        assertThat(started.actor()).isEqualTo("node " + owner.id);
    }

    @Test
    void aCompletedAndAFailedEndAreRecordedWithTheNodesWord() {
        UUID failing = createJob(uniqueName("failing"));
        owner.claimGranted(job);
        owner.claimGranted(failing);

        owner.send(new ToManager.JobEnded(job, owner.id, 1, ToManager.Outcome.COMPLETED, 0, null, null, null));
        owner.send(new ToManager.JobEnded(failing, owner.id, 1, ToManager.Outcome.FAILED, 3, "boom", null, null));
        Api.awaitStatus(job, JobStatus.Completed);
        Api.awaitStatus(failing, JobStatus.Failed);

        assertThat(kinds(job)).containsExactly("created", "granted", "completed");
        assertRun(events(job).get(2), owner.id, 1);
        assertThat(kinds(failing)).containsExactly("created", "granted", "failed");
        assertThat(events(failing).get(2).detail()).isEqualTo("boom");
        assertThat(events(failing).get(2).actor()).isEqualTo("node " + owner.id);
    }

    @Test
    void aCancelOfARunningJobIsAskedByTheCallerAndDoneByItsNode() {
        owner.claimGranted(job);
        Api.cancel(job);
        owner.send(new ToManager.JobEnded(job, owner.id, 1, ToManager.Outcome.CANCELLED, 0, null, null, null));
        Api.awaitStatus(job, JobStatus.Deleted);

        List<JobEventView> events = events(job);
        assertThat(kinds(events)).containsExactly("created", "granted", "cancelled", "deleted");
        assertRun(events.get(2), owner.id, 1);
        assertThat(events.get(2).actor()).startsWith("api ");
        assertRun(events.get(3), owner.id, 1);
        assertThat(events.get(3).actor()).isEqualTo("node " + owner.id);
    }

    @Test
    void aCancelOfAQueuedJobDeletesItAtOnce() {
        Api.cancel(job);

        assertThat(kinds(job)).containsExactly("created", "deleted");
        assertThat(events(job).get(1).actor()).startsWith("api ");
        assertThat(events(job).get(1).detail()).contains("no node ran it");
    }

    @Test
    void aJobBeingCancelledWhoseOwnerIsGoneIsDeletedAtTheNextClaim() {
        owner.claimGranted(job);
        Api.cancel(job);
        owner.close();

        other.claim(job);
        other.received(ToNode.Drop.class, job);

        List<JobEventView> events = events(job);
        assertThat(kinds(events)).containsExactly("created", "granted", "cancelled", "deleted");
        assertRun(events.get(3), owner.id, 1);
        assertThat(events.get(3).detail()).contains("owner is gone");
    }

    @Test
    void aStoredCheckpointIsRecordedWithItsSize() {
        owner.claimGranted(job);
        owner.send(new ToManager.Checkpoint(job, owner.id, 1, 1, JSON.objectNode().put("n", 42)));
        assertThat(owner.received(ToNode.CheckpointReply.class, job).stored()).isTrue();
        other.send(new ToManager.Checkpoint(job, other.id, 1, 2, JSON.objectNode().put("n", 43)));
        assertThat(other.received(ToNode.CheckpointReply.class, job).stored()).as("not the owner").isFalse();

        assertThat(kinds(job)).as("a refused checkpoint is not in the history")
                .containsExactly("created", "granted", "checkpoint");
        JobEventView checkpoint = events(job).get(2);
        assertRun(checkpoint, owner.id, 1);
        assertThat(checkpoint.detail()).isEqualTo("8 bytes");
    }

    @Test
    void aSilentNodesJobsLoseTheirHeartbeatAndTheirRunEndsOnceTheNodeIsGone() {
        owner.claimGranted(job);
        owner.send(new ToManager.Snapshot(owner.id, "silent", 2, List.of("default"), Instant.now(),
                List.of(new SnapshotEntry(job, 1, HeldState.RUNNING, Instant.now(), 0, null))));

        await().atMost(FakeNode.DEADLINE).until(() -> kinds(job).contains("heartbeat-lost"));
        assertThat(Api.status(job)).as("display only: the job stays").isEqualTo(JobStatus.Processing);
        owner.close();
        other.claimGranted(job);

        List<JobEventView> events = events(job);
        assertThat(kinds(events)).containsExactly("created", "granted", "started", "heartbeat-lost", "stopped",
                "granted");
        assertRun(events.get(3), owner.id, 1);
        assertThat(events.get(3).detail()).contains("no snapshot");
        assertRun(events.get(4), owner.id, 1);
        assertThat(events.get(4).detail()).contains("control queue is gone");
    }

    @Test
    void pagesAreOldestFirstAndCountTheWholeHistory() {
        record(numbered(job, 4));

        Page<JobEventView> first = client.events(job, new PageRequest(0, 2));
        Page<JobEventView> last = client.events(job, new PageRequest(2, 2));

        assertThat(first.total()).isEqualTo(5);
        assertThat(first.items()).extracting(JobEventView::detail).containsExactly(null, "event 0");
        assertThat(last.items()).extracting(JobEventView::detail).containsExactly("event 3");
        assertThat(last.page()).isEqualTo(2);
        assertThat(last.size()).isEqualTo(2);
        given().get("/api/jobs/" + job + "/events?size=1001").then().statusCode(400);
    }

    @Test
    void theHistoryOfAnUnknownJobIsNotFound() {
        given().get("/api/jobs/" + UUID.randomUUID() + "/events").then().statusCode(404)
                .body("error", containsString("job"));
        given().get("/api/jobs/not-an-id/events").then().statusCode(404);
        assertThatThrownBy(() -> client.events(UUID.randomUUID(), PageRequest.first(10)))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void theOpenApiDocumentDescribesTheCall() {
        String document = given().get("/q/openapi").then().statusCode(200).extract().asString();

        assertThat(document).contains("/api/jobs/{id}/events:", "JobEventView", "heartbeat-lost");
    }

    @Test
    void aTrimKeepsTheLastEventsOfEachJob() {
        UUID shortJob = createJob(uniqueName("short"));
        record(numbered(job, 1_004)); // with its created event: 1,005 of the 1,000 it keeps

        trimmer.trim();

        Page<JobEventView> kept = client.events(job, new PageRequest(0, 1_000));
        assertThat(kept.total()).isEqualTo(1_000);
        assertThat(kept.items().getFirst().detail()).isEqualTo("event 4");
        assertThat(kept.items().getLast().detail()).isEqualTo("event 1003");
        assertThat(kinds(shortJob)).containsExactly("created");
    }

    @Test
    void aGrantWhileTheRunBeforeItHadNotEndedIsFlaggedAsAnOverlap() {
        owner.claimGranted(job);
        double overlaps = overlaps();

        // a grant recorded without the end of the run before it: what a decision that forgot the old run would do
        record(List.of(JobEvent.granted(job, Instant.now(), other.id, 2)));

        assertThat(overlaps()).isEqualTo(overlaps + 1);
        // once the old run's end is on record, the next grant is no overlap
        record(List.of(JobEvent.stopped(job, Instant.now(), other.id, 2, "test"),
                JobEvent.granted(job, Instant.now(), owner.id, 3)));
        assertThat(overlaps()).isEqualTo(overlaps + 1);
    }

    private void record(List<JobEvent> events) {
        QuarkusTransaction.requiringNew().run(() -> history.recordAll(events));
    }

    private static List<JobEvent> numbered(UUID jobId, int count) {
        List<JobEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(JobEvent.of(JobEventKind.CHECKPOINT, jobId, Instant.now()).withDetail("event " + i));
        }
        return events;
    }

    private double overlaps() {
        return registry.find("orchestr.run.overlaps").counter().count();
    }

    private List<JobEventView> events(UUID jobId) {
        return client.events(jobId, PageRequest.first(1_000)).items();
    }

    private List<String> kinds(UUID jobId) {
        return kinds(events(jobId));
    }

    private static List<String> kinds(List<JobEventView> events) {
        return events.stream().map(event -> event.kind().wireName()).toList();
    }

    private static void assertRun(JobEventView event, UUID serverId, long epoch) {
        assertThat(event.serverId()).as("the node of %s", event).isEqualTo(serverId);
        assertThat(event.epoch()).as("the epoch of %s", event).isEqualTo(epoch);
    }
}
