package io.orchestr.manager;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.orchestr.shared.RestartMode;
import io.orchestr.shared.json.WireCodec;
import io.orchestr.shared.topology.Topology;
import io.orchestr.shared.wire.JobMessage;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.orchestr.manager.Api.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/** {@code exec} jobs at the API: their params checked, their defaults, their queue and their reason. */
@QuarkusTest
@WithTestResource(value = LocalServices.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class ExecJobsApiTest {
    private static final String ECHO = "{\"command\": [\"echo\", \"hi\"]}";

    @Inject
    Topology topology;

    private final List<FakeNode> nodes = new ArrayList<>();

    @AfterEach
    void closeNodes() {
        nodes.forEach(FakeNode::close);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no params                 |                                                        | params
            no command                | "params": {"env": {}}                                  | params.command
            empty argv                | "params": {"command": []}                              | params.command
            a non-string argument     | "params": {"command": ["ls", 1]}                       | params.command[1]
            an unknown key            | "params": {"command": "ls", "retries": 1}              | params.retries
            a negative timeout        | "params": {"command": "ls", "timeout": "PT-5S"}        | params.timeout
            a zero timeout in seconds | "params": {"type": "execute", "command": "ls", "timeout": 0} | params.timeout
            a negative killGrace      | "params": {"command": "ls", "killGrace": "PT-1S"}      | params.killGrace
            a non-string env value    | "params": {"command": "ls", "env": {"A": 1}}           | params.env.A
            a bad env name            | "params": {"command": "ls", "env": {"A=B": "x"}}       | params.env.A=B
            an empty group            | "params": {"parallel": []}                             | params.parallel
            a bad step|"params": {"sequence": [{"command": "ls"}, {"cwd": "/"}]}|params.sequence[1].command
            """)
    void aBadSpecIsRefusedNamingItsField(String what, String params, String field) {
        String body = "{\"name\": \"" + uniqueName("bad") + "\", \"type\": \"exec\""
                + (params == null ? "" : ", " + params) + "}";

        given().contentType(ContentType.JSON).body(body).post("/api/jobs").then().statusCode(400)
                .body("field", equalTo(field)).body("error", startsWith("an exec job's " + field + ": "));
    }

    @Test
    void workNestedDeeperThanTenLevelsIsRefusedNamingTheItemTooDeep() {
        String params = "{\"sequence\": [".repeat(10) + ECHO + "]}".repeat(10);

        given().contentType(ContentType.JSON).body(exec(uniqueName("deep"), params, null)).post("/api/jobs")
                .then().statusCode(400).body("field", equalTo("params" + ".sequence[0]".repeat(10)));
    }

    @Test
    void paramsOverTheLimitAreRefusedBeforeTheirWorkIsRead() {
        String params = "{\"command\": [\"echo\", \"" + "x".repeat(70_000) + "\"]}";

        given().contentType(ContentType.JSON).body(exec(uniqueName("big"), params, null)).post("/api/jobs")
                .then().statusCode(400).body("field", equalTo("params"));
    }

    @Test
    void aBatchNamesTheElementWhoseSpecIsBad() {
        String body = "[" + exec(uniqueName("good"), ECHO, null) + ", "
                + exec(uniqueName("bad"), "{\"command\": \"ls\", \"cwd\": 7}", null) + "]";

        given().contentType(ContentType.JSON).body(body).post("/api/jobs/batch").then().statusCode(400)
                .body("index", equalTo(1)).body("field", equalTo("params.cwd"));
    }

    @Test
    void anExecJobRestartsNeverUnlessItSaysOtherwiseAndOtherTypesKeepOnFailure() throws Exception {
        String pool = uniqueName("restarts");
        UUID once = createExec(uniqueName("once"), pool);
        UUID kept = UUID.fromString(given().contentType(ContentType.JSON)
                .body("{\"name\": \"" + uniqueName("kept") + "\", \"type\": \"exec\", \"restart\": \"on-failure\","
                        + " \"pool\": \"" + pool + "\", \"params\": " + ECHO + "}")
                .post("/api/jobs").then().statusCode(201).extract().path("id"));
        UUID java = Api.createJob(uniqueName("java"), pool);

        Map<UUID, RestartMode> exec = published(topology.execQueue(pool), 2);
        assertThat(exec).containsEntry(once, RestartMode.NEVER).containsEntry(kept, RestartMode.ON_FAILURE);
        assertThat(published(topology.jobQueue(pool), 1)).containsEntry(java, RestartMode.ON_FAILURE);
    }

    /** The restart modes of the first {@code count} job messages on {@code queue}, taken off it. */
    private static Map<UUID, RestartMode> published(String queue, int count) throws Exception {
        Map<UUID, RestartMode> restarts = new HashMap<>();
        try (Connection connection = TestBroker.connect("exec-jobs-api-test");
             Channel channel = connection.createChannel()) {
            await(count + " jobs on " + queue).atMost(FakeNode.DEADLINE).until(() -> {
                GetResponse delivery = channel.basicGet(queue, true);
                if (delivery != null) {
                    JobMessage job = new WireCodec().decodeJob(delivery.getBody());
                    restarts.put(job.jobId(), job.restart());
                }
                return restarts.size() >= count;
            });
        }
        return restarts;
    }

    @Test
    void anEditOfAnExecJobsParamsIsCheckedAsACreation() {
        UUID id = createExec(uniqueName("edited"), uniqueName("edit"));

        given().contentType(ContentType.JSON).body("{\"params\": {\"command\": []}}").patch("/api/jobs/" + id)
                .then().statusCode(400).body("field", equalTo("params.command"));
        given().contentType(ContentType.JSON).body("{\"params\": {\"role\": \"nobody\"}}").patch("/api/jobs/" + id)
                .then().statusCode(400).body("field", equalTo("params.role"));
        given().contentType(ContentType.JSON).body("{\"params\": {\"command\": \"true\"}}").patch("/api/jobs/" + id)
                .then().statusCode(200).body("params.command", equalTo("true"));
    }

    @Test
    void anExecJobGoesToItsPoolsExecQueueAndWaitsWithAReasonUntilAnExecNodeServesThePool() throws Exception {
        String pool = uniqueName("routed");
        UUID id = createExec(uniqueName("routed"), pool);

        given().get("/api/jobs/" + id).then().body("reason", equalTo("no node of pool " + pool + " runs type exec"));
        assertThat(published(topology.execQueue(pool), 1)).containsOnlyKeys(id);
        try (Connection connection = TestBroker.connect("exec-jobs-api-test");
             Channel channel = connection.createChannel()) {
            topology.declareJobQueue(channel, pool);
            assertThat(channel.messageCount(topology.jobQueue(pool))).as("messages on the pool's job queue")
                    .isZero();
        }
        FakeNode plain = node();
        plain.report(2, pool);
        Api.awaitServer(plain.id);
        given().get("/api/jobs/" + id).then().body("reason", equalTo("no node of pool " + pool + " runs type exec"));
        FakeNode exec = node();
        exec.reportExec(2, pool, List.of());
        Api.awaitServer(exec.id);
        given().get("/api/jobs/" + id).then().body("reason", nullValue());
    }

    private FakeNode node() {
        FakeNode node = FakeNode.start(topology);
        nodes.add(node);
        return node;
    }

    private static UUID createExec(String name, String pool) {
        return UUID.fromString(given().contentType(ContentType.JSON).body(exec(name, ECHO, pool)).post("/api/jobs")
                .then().statusCode(201).extract().path("id"));
    }

    private static String exec(String name, String params, String pool) {
        return "{\"name\": \"" + name + "\", \"type\": \"exec\", \"params\": " + params
                + (pool == null ? "" : ", \"pool\": \"" + pool + "\"") + "}";
    }
}
