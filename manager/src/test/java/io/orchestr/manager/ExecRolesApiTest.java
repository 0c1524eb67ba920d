package io.orchestr.manager;

import io.orchestr.shared.JobStatus;
import io.orchestr.shared.topology.Topology;
import io.orchestr.shared.wire.JobMessage;
import io.orchestr.shared.wire.ToManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static io.orchestr.manager.Api.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The roles of {@code exec} work at the API, over fake nodes on the real broker: refused when no node could play
 * them, a child job per role besides the lead role the job plays itself, and all of a job's role runs placed on
 * nodes of their own together, or none.
 */
@QuarkusTest
@WithTestResource(value = LocalServices.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class ExecRolesApiTest {
    /** Two roles: {@code db} (sorted first: the job's lead role, which the job plays itself) and {@code web}. */
    private static final String TWO_ROLES = "{\"sequence\": [{\"command\": \"ls\", \"role\": \"db\"},"
            + " {\"parallel\": [{\"command\": \"ls\"}], \"role\": \"web\"}]}";

    @Inject
    Topology topology;

    private final List<FakeNode> nodes = new ArrayList<>();
    /** Sends each fake node's snapshot again every half second, as a node does, so that none is taken for lost. */
    private final ScheduledExecutorService snapshots = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void closeNodes() {
        snapshots.shutdownNow();
        nodes.forEach(FakeNode::close);
    }

    @Test
    void aRoleNoActiveExecNodeOfThePoolServesIsRefusedNamingItsField() {
        String pool = uniqueName("roles");
        node(pool, List.of("db", "cache"));
        FakeNode plain = FakeNode.start(topology);
        nodes.add(plain);
        plain.report(2, pool); // serves the pool, but runs no exec jobs
        Api.awaitServer(plain.id);

        given().contentType(ContentType.JSON).body(exec(uniqueName("r"), TWO_ROLES, pool)).post("/api/jobs")
                .then().statusCode(400).body("field", equalTo("params.sequence[1].role"))
                .body("error", containsString("serves role web"));
        given().contentType(ContentType.JSON).body("[" + exec(uniqueName("r"), "{\"command\": \"ls\"}", pool) + ", "
                        + exec(uniqueName("r"), TWO_ROLES, pool) + "]").post("/api/jobs/batch")
                .then().statusCode(400).body("index", equalTo(1)).body("field", equalTo("params.sequence[1].role"));
    }

    @Test
    void rolesThatOnlyOneNodeServesAreRefusedSinceEachNeedsANodeOfItsOwn() {
        String pool = uniqueName("roles");
        node(pool, List.of());

        given().contentType(ContentType.JSON).body(exec(uniqueName("r"), TWO_ROLES, pool)).post("/api/jobs")
                .then().statusCode(400).body("field", equalTo("params.sequence[0].role"))
                .body("error", containsString("must each run on a node of their own"));
    }

    @Test
    void aConcurrencyKeyWithRolesIsRefused() {
        String pool = uniqueName("roles");
        node(pool, List.of("db"));
        node(pool, List.of("web"));
        String body = "{\"name\": \"" + uniqueName("r") + "\", \"type\": \"exec\", \"pool\": \"" + pool + "\","
                + " \"concurrencyKey\": \"k\", \"params\": " + TWO_ROLES + "}";

        given().contentType(ContentType.JSON).body(body).post("/api/jobs").then().statusCode(400)
                .body("field", equalTo("concurrencyKey"));
    }

    @Test
    void aJobPlaysItsLeadRoleAndAChildPlaysEachOtherOnANodeOfItsOwn() {
        String pool = uniqueName("roles");
        FakeNode db = node(pool, List.of("db"));
        FakeNode web = node(pool, List.of("web"));
        String name = uniqueName("two");

        UUID lead = createExec(name, TWO_ROLES, pool);

        UUID child = onlyChild(lead);
        given().get("/api/jobs/" + child).then().statusCode(200).body("name", equalTo(name + "/web"))
                .body("type", equalTo("exec")).body("pool", equalTo(pool))
                .body("params.roleRun.role", equalTo("web")).body("params.roleRun.job", equalTo(lead.toString()))
                .body("params.work.sequence[0].role", equalTo("db"));
        JobMessage leadMessage = db.receivedPlaced(lead);
        assertThat(leadMessage.params().at("/sequence/1/role").asText()).isEqualTo("web");
        web.receivedPlaced(child);
        db.claimGranted(lead);
        web.claimGranted(child);
        Api.awaitStatus(lead, JobStatus.Processing);
        Api.awaitStatus(child, JobStatus.Processing);
    }

    @Test
    void aJobWhoseRolesCannotAllBePlacedWaitsWithAReasonHoldingNoNodeUntilTheyAllCan() {
        String pool = uniqueName("roles");
        FakeNode db = node(pool, List.of("db"), 1);
        FakeNode web = node(pool, List.of("web"), 1);
        UUID first = createExec(uniqueName("first"), TWO_ROLES, pool);
        db.receivedPlaced(first);
        web.receivedPlaced(onlyChild(first)); // the two nodes' only slots are taken

        UUID second = createExec(uniqueName("second"), TWO_ROLES, pool);
        UUID secondChild = onlyChild(second);
        FakeNode spare = node(pool, List.of(), 1); // serves both roles, but one node cannot play two

        awaitReasonAbout(second, "waiting for a node of its own for role db");
        given().get("/api/jobs/" + secondChild).then().body("reason",
                containsString("waiting for a node of its own for role web"));
        spare.receivesNoPlaced(second);

        FakeNode other = node(pool, List.of(), 1);

        UUID leadNode = placedOnEither(second, spare, other);
        UUID childNode = placedOnEither(secondChild, spare, other);
        assertThat(leadNode).as("the node of role db").isNotEqualTo(childNode);
        given().get("/api/jobs/" + second).then().body("reason", containsString("waiting for that node to take"));
    }

    @Test
    void aRoleRunCannotBeMovedNorEditedAndARerunRerunsEveryRoleRun() {
        String pool = uniqueName("roles");
        FakeNode db = node(pool, List.of("db"));
        FakeNode web = node(pool, List.of("web"));
        UUID lead = createExec(uniqueName("steered"), TWO_ROLES, pool);
        UUID child = onlyChild(lead);

        given().contentType(ContentType.JSON).body("{\"serverId\": \"" + web.id + "\"}")
                .post("/api/jobs/" + lead + "/move").then().statusCode(409)
                .body("error", containsString("plays role db"));
        given().contentType(ContentType.JSON).body("{\"timeout\": \"PT1M\"}").patch("/api/jobs/" + child)
                .then().statusCode(409).body("error", containsString("plays role web"));
        db.receivedPlaced(lead);
        web.receivedPlaced(child);
        db.claimGranted(lead);
        web.claimGranted(child);
        db.send(new ToManager.JobEnded(lead, db.id, 1, ToManager.Outcome.COMPLETED, 0, null, null, null));
        Api.awaitStatus(lead, JobStatus.Completed);

        given().post("/api/jobs/" + lead + "/rerun").then().statusCode(409)
                .body("error", containsString("with the other role runs of job " + lead));
        web.send(new ToManager.JobEnded(child, web.id, 1, ToManager.Outcome.COMPLETED, 0, null, null, null));
        Api.awaitStatus(child, JobStatus.Completed);
        given().post("/api/jobs/" + lead + "/rerun").then().statusCode(202);
        assertThat(Api.status(child)).isEqualTo(JobStatus.Queued);
        db.receivedPlaced(lead);
        web.receivedPlaced(child);
    }

    private UUID placedOnEither(UUID job, FakeNode a, FakeNode b) {
        return await("job " + job + " placed").atMost(FakeNode.DEADLINE)
                .until(() -> given().get("/api/jobs/" + job).then().extract().<String>path("reason"),
                        reason -> reason != null && reason.startsWith("placed on node"))
                .contains(a.id.toString()) ? a.id : b.id;
    }

    private static void awaitReasonAbout(UUID job, String text) {
        await("job " + job + "'s reason").atMost(FakeNode.DEADLINE).until(() ->
                given().get("/api/jobs/" + job).then().extract().<String>path("reason"),
                reason -> reason != null && reason.contains(text));
    }

    private static UUID onlyChild(UUID lead) {
        List<String> ids = given().get("/api/jobs?parentId=" + lead).then().statusCode(200)
                .extract().path("items.id");
        assertThat(ids).hasSize(1);
        return UUID.fromString(ids.getFirst());
    }

    private FakeNode node(String pool, List<String> roles) {
        return node(pool, roles, 2);
    }

    private FakeNode node(String pool, List<String> roles, int slots) {
        FakeNode node = FakeNode.start(topology);
        nodes.add(node);
        node.reportExec(slots, pool, roles);
        snapshots.scheduleAtFixedRate(() -> node.reportExec(slots, pool, roles), 500, 500, TimeUnit.MILLISECONDS);
        Api.awaitServer(node.id);
        return node;
    }

    private static UUID createExec(String name, String params, String pool) {
        return UUID.fromString(given().contentType(ContentType.JSON).body(exec(name, params, pool))
                .post("/api/jobs").then().statusCode(201).extract().path("id"));
    }

    private static String exec(String name, String params, String pool) {
        return "{\"name\": \"" + name + "\", \"type\": \"exec\", \"params\": " + params + ", \"pool\": \"" + pool
                + "\"}";
    }
}
