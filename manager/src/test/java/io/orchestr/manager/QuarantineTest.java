package io.orchestr.manager;

import io.orchestr.client.OrchestratorClient;
import io.orchestr.client.PageRequest;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.JobEventView;
import io.orchestr.shared.topology.Topology;
import io.orchestr.shared.wire.ToManager;
import io.orchestr.shared.wire.ToNode;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.orchestr.manager.Api.createJob;
import static io.orchestr.manager.Api.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Crash-loop quarantine with the default settings (3 deaths in 10 min, each within 30 s of the grant), the test
 * playing the nodes on the real broker and database: a fake node that closes its connection dies as a killed node
 * does, and the broker deletes its control queue.
 */
@QuarkusTest
@WithTestResource(value = LocalServices.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class QuarantineTest {
    private static final String REASON = "quarantined: its runs ended with their node's death 3 times in 10 min";

    @Inject
    Topology topology;

    @TestHTTPResource("/")
    URI baseUri;

    private final List<FakeNode> nodes = new ArrayList<>();
    private OrchestratorClient client;

    @BeforeEach
    void connect() {
        client = OrchestratorClient.create(baseUri);
    }

    @AfterEach
    void stopNodes() {
        nodes.forEach(FakeNode::close);
    }

    @Test
    void aJobWhoseNodeDiesRightAfterItsGrantThreeTimesIsPausedAsQuarantinedInsteadOfHandedOn() {
        UUID job = createJob(uniqueName("crasher"));
        crashThrice(job);

        FakeNode next = node();
        ToNode.Decisions decisions = claimOnceOwnerGone(next, List.of(job));

        assertThat(decisions.grants()).isEmpty();
        assertThat(decisions.drops()).singleElement().satisfies(drop -> assertThat(drop.reason())
                .isEqualTo("job is quarantined"));
        assertThat(Api.status(job)).isEqualTo(JobStatus.Paused);
        assertThat(reason(job)).isEqualTo(REASON);
        assertThat(kinds(job)).containsExactly("created", "granted", "stopped", "granted", "stopped", "granted",
                "stopped", "quarantined");
        assertThat(events(job).getLast().detail()).isEqualTo("its runs ended with their node's death 3 times in 10 min;"
                + " not handed to another node: resume it to run it again");
        next.claim(job);
        assertThat(next.received(ToNode.Drop.class, job).reason()).isEqualTo("job is Paused");
    }

    @Test
    void aResumeOfAQuarantinedJobQueuesItAndClearsItsCount() {
        UUID job = createJob(uniqueName("resumed"));
        crashThrice(job);
        claimOnceOwnerGone(node(), List.of(job));
        Api.awaitStatus(job, JobStatus.Paused);

        given().post("/api/jobs/" + job + "/resume").then().statusCode(202);

        assertThat(Api.status(job)).isEqualTo(JobStatus.Queued);
        assertThat(reason(job)).isNull();
        assertThat(events(job).getLast().detail()).isEqualTo("Queued; no longer quarantined");
        // the count starts again: one more death right after a grant hands the job on
        FakeNode crashing = node();
        crashing.claimGranted(job);
        crashing.close();
        assertThat(claimOnceOwnerGone(node(), List.of(job)).grants()).singleElement()
                .satisfies(grant -> assertThat(grant.epoch()).isEqualTo(5));
        assertThat(Api.status(job)).isEqualTo(JobStatus.Processing);
    }

    @Test
    void aNodeDeathThatEndsSeveralFreshRunsCountsAgainstNoneOfThem() {
        List<UUID> jobs = List.of(createJob(uniqueName("batch")), createJob(uniqueName("batch")));
        for (int death = 0; death < 3; death++) {
            FakeNode dying = node();
            ToNode.Decisions granted = claimOnceOwnerGone(dying, jobs);
            assertThat(granted.grants()).hasSize(2);
            dying.close();
        }

        ToNode.Decisions decisions = claimOnceOwnerGone(node(), jobs);

        assertThat(decisions.grants()).as("both handed on, as a failover batch killed from outside")
                .extracting(ToNode.Grant::jobId).containsExactlyInAnyOrderElementsOf(jobs);
        jobs.forEach(job -> assertThat(Api.status(job)).isEqualTo(JobStatus.Processing));
    }

    @Test
    void aNodeThatLeftCleanlyCountsNoDeath() {
        UUID job = createJob(uniqueName("handed-back"));
        for (int leave = 0; leave < 3; leave++) {
            FakeNode leaving = node();
            leaving.claimGranted(job);
            leaving.leave(job);
        }

        assertThat(node().claimGranted(job).epoch()).isEqualTo(4);
        assertThat(Api.status(job)).isEqualTo(JobStatus.Processing);
    }

    @Test
    void anOwnerThatAnswersItNoLongerHoldsTheJobCountsNoDeath() {
        UUID job = createJob(uniqueName("answered"));
        FakeNode owner = node();
        owner.claimGranted(job);
        for (int answer = 1; answer <= 3; answer++) {
            FakeNode claimant = node();
            claimant.claim(job);
            ToNode.HoldQuestion question = owner.received(ToNode.HoldQuestion.class, job);

            owner.send(new ToManager.HoldAnswer(job, owner.id, claimant.id, false, question.claim()));

            assertThat(claimant.received(ToNode.Grant.class, job).epoch()).isEqualTo(answer + 1);
            owner = claimant;
        }
        assertThat(Api.status(job)).isEqualTo(JobStatus.Processing);
    }

    @Test
    void deathsFoundByTheLostNodeSweepCountToo() {
        UUID job = createJob(uniqueName("swept"));
        for (int death = 1; death <= 3; death++) {
            FakeNode dying = node();
            dying.report(1, "default");
            Api.awaitServer(dying.id);
            dying.claimGranted(job);
            dying.close();
            // no other node claims: the sweep finds the node silent and its control queue gone
            JobStatus expected = death < 3 ? JobStatus.Queued : JobStatus.Paused;
            await("job " + job + " " + expected + " after death " + death).atMost(Duration.ofSeconds(20))
                    .until(() -> Api.status(job) == expected);
        }

        assertThat(reason(job)).isEqualTo(REASON);
        assertThat(kinds(job)).endsWith("stopped", "quarantined");
    }

    /** Three nodes in turn are granted the job and die at once. */
    private void crashThrice(UUID job) {
        FakeNode first = node();
        first.claimGranted(job);
        first.close();
        for (int death = 2; death <= 3; death++) {
            FakeNode crashing = node();
            assertThat(claimOnceOwnerGone(crashing, List.of(job)).grants()).singleElement()
                    .satisfies(grant -> assertThat(grant.jobId()).isEqualTo(job));
            crashing.close();
        }
    }

    /** Claims the jobs in one batch until the managers no longer wait for their last owner; those decisions. */
    private static ToNode.Decisions claimOnceOwnerGone(FakeNode claimant, List<UUID> jobs) {
        // the broker deletes a closed connection's control queue a moment later: until then the owner is asked
        return await("decisions without a wait for " + claimant.id).atMost(FakeNode.DEADLINE)
                .until(() -> {
                    long batch = System.nanoTime();
                    claimant.claimBatch(batch, jobs);
                    return claimant.decisions(batch);
                }, decisions -> decisions.waits().isEmpty());
    }

    private FakeNode node() {
        FakeNode node = FakeNode.start(topology);
        nodes.add(node);
        return node;
    }

    private static String reason(UUID job) {
        return given().get("/api/jobs/" + job).then().statusCode(200).extract().path("reason");
    }

    private List<JobEventView> events(UUID job) {
        return client.events(job, PageRequest.first(1_000)).items();
    }

    private List<String> kinds(UUID job) {
        return events(job).stream().map(event -> event.kind().wireName())
                .filter(kind -> !kind.equals("heartbeat-lost")).toList();
    }
}
