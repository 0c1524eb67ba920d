package io.orchestr.manager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestr.shared.JobStatus;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.http.Method;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document ({@code /q/openapi}) tells the truth: each endpoint is called for real, and every status it
 * answers is one its operation lists, with the body that the listing names (an {@code ApiError} for every error);
 * every documented operation is called at least once, and each lists a success and the errors every call shares.
 */
@QuarkusTest
@WithTestResource(value = LocalServices.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class OpenApiTruthTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ERROR_SCHEMA = "#/components/schemas/ApiError";
    private static final String NOWHERE = "00000000-0000-0000-0000-000000000000";
    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

    @TestHTTPResource("/")
    URI baseUri;

    private JsonNode document;
    /** The operations called, as "get /api/jobs/{id}". */
    private final Set<String> called = new TreeSet<>();

    @BeforeEach
    void readTheDocument() throws Exception {
        document = JSON.readTree(given().accept(ContentType.JSON).get("/q/openapi?format=json").then()
                .statusCode(200).extract().asString());
    }

    @Test
    void everyStatusAnEndpointAnswersIsListedForItsOperationWithItsBody() throws Exception {
        String name = Api.uniqueName("openapi");
        Response created = call(Method.POST, "/api/jobs", json(Map.of("name", name, "pool", "default")), 201);
        String id = created.path("id");
        assertThat(created.header("Location")).endsWith("/api/jobs/" + id);
        call(Method.POST, "/api/jobs", json(Map.of("name", name)), 409);
        call(Method.POST, "/api/jobs", json(Map.of("name", Api.uniqueName("bad"), "timeout", "soon")), 400);
        call(Method.POST, "/api/jobs", given().contentType(ContentType.TEXT).body("name"), 415);
        call(Method.POST, "/api/jobs", json(Map.of("name", Api.uniqueName("viewer"))).header("Authorization",
                "Bearer " + TestTokens.VIEWER), 403);
        call(Method.POST, "/api/jobs", given().noFilters().contentType(ContentType.JSON).body("{}"), 401);
        call(Method.POST, "/api/jobs/batch", json(List.of(Map.of("name", Api.uniqueName("batch")))), 201);
        call(Method.POST, "/api/jobs/batch", json(List.of()), 400);
        call(Method.POST, "/api/jobs/bulk", json(Map.of("action", "pause", "ids", List.of(id))), 202);
        call(Method.POST, "/api/jobs/bulk", json(Map.of("action", "explode", "ids", List.of(id))), 400);

        call(Method.GET, "/api/jobs", given().queryParam("status", "Queued").queryParam("size", 5), 200);
        call(Method.GET, "/api/jobs", given().queryParam("size", 0), 400);
        call(Method.GET, "/api/jobs", given().queryParam("status", "Sleeping"), 400);
        call(Method.GET, "/api/jobs", given().noFilters(), 401);
        call(Method.GET, "/api/jobs/{id}", given(), 200, id);
        call(Method.GET, "/api/jobs/{id}", given(), 404, NOWHERE);
        call(Method.GET, "/api/jobs/{id}", given(), 404, "not-a-uuid");
        call(Method.GET, "/api/jobs/{id}/events", given(), 200, id);
        call(Method.GET, "/api/jobs/{id}/events", given().queryParam("page", -1), 400, id);
        call(Method.GET, "/api/jobs/{id}/output", given(), 404, id);
        call(Method.GET, "/api/jobs/{id}/output", given().queryParam("tail", "lots"), 400, id);

        call(Method.POST, "/api/jobs/{id}/resume", given(), 202, id);
        call(Method.PATCH, "/api/jobs/{id}", given().contentType("application/merge-patch+json")
                .body("{\"argument\": \"edited\"}"), 200, id);
        call(Method.PATCH, "/api/jobs/{id}", given().contentType("application/merge-patch+json")
                .body("{\"name\": \"renamed\"}"), 400, id);
        call(Method.POST, "/api/jobs/{id}/pause", given(), 202, id);
        call(Method.POST, "/api/jobs/{id}/pause", given(), 202, id);
        call(Method.POST, "/api/jobs/{id}/restart", given(), 409, id);
        call(Method.POST, "/api/jobs/{id}/move", given(), 409, id);
        call(Method.POST, "/api/jobs/{id}/move", json(Map.of("serverId", "elsewhere")), 400, id);
        call(Method.POST, "/api/jobs/{id}/pause", given(), 404, NOWHERE);
        call(Method.POST, "/api/jobs/{id}/rerun", given(), 409, id);
        call(Method.DELETE, "/api/jobs/{id}", given(), 202, id);
        call(Method.DELETE, "/api/jobs/{id}", given().header("Authorization", "Bearer " + TestTokens.VIEWER),
                403, id);
        call(Method.DELETE, "/api/jobs/{id}", given(), 404, NOWHERE);
        call(Method.POST, "/api/jobs/{id}/resume", given(), 409, id);
        call(Method.PATCH, "/api/jobs/{id}", given().contentType("application/merge-patch+json")
                .body("{\"argument\": \"late\"}"), 409, id);

        call(Method.GET, "/api/servers", given().queryParam("status", "Active"), 200);
        call(Method.GET, "/api/servers", given().queryParam("status", "Asleep"), 400);
        call(Method.GET, "/api/servers/{id}", given(), 404, NOWHERE);
        call(Method.POST, "/api/servers/{id}/drain", given(), 404, NOWHERE);
        call(Method.POST, "/api/servers/{id}/drain", given().header("Authorization", "Bearer "
                + TestTokens.OPERATOR), 403, NOWHERE);
        call(Method.POST, "/api/servers/{id}/undrain", given(), 404, NOWHERE);

        call(Method.GET, "/api/overview", given(), 200);
        call(Method.GET, "/api/events", given().queryParam("size", 3), 200);
        call(Method.GET, "/api/events", given().queryParam("size", "many"), 400);
        call(Method.GET, "/api/events/stream", given().queryParam("after", -1), 400);
        call(Method.GET, "/api/events/stream", given().noFilters(), 401);
        streamAnswersAsListed(id);

        call(Method.GET, "/api/session", given(), 200);
        call(Method.GET, "/api/session", given().noFilters(), 401);
        call(Method.POST, "/api/session", given().header("Authorization", "Bearer " + TestTokens.VIEWER), 200);
        call(Method.POST, "/api/session", given().noFilters(), 401);
        call(Method.POST, "/api/session", given().header("Authorization", "Bearer not;a;cookie"), 400);
        call(Method.DELETE, "/api/session", given().noFilters(), 204);

        assertThat(called).as("the operations called").containsAll(operations());
    }

    @Test
    void everyOperationListsASuccessAndTheErrorsEveryCallShares() {
        for (String operation : operations()) {
            Set<String> statuses = listed(operation);
            assertThat(statuses).as(operation).anyMatch(status -> status.startsWith("2"))
                    .contains("429", "500");
            if (!operation.equals("delete /api/session")) {
                assertThat(statuses).as(operation + ": the token").contains("401");
            }
            if (!operation.contains("/api/session")) {
                assertThat(statuses).as(operation + ": a role and the database").contains("403", "503");
            }
            if (operation.contains("{id}")) {
                assertThat(statuses).as(operation + ": an unknown id").contains("404");
            }
            if (operation(operation).has("requestBody")) {
                assertThat(statuses).as(operation + ": a body").contains("400", "413", "415");
            }
            for (String status : statuses) {
                if (status.startsWith("4") || status.startsWith("5")) {
                    assertThat(operation(operation).at("/responses/" + status
                            + "/content/application~1json/schema/$ref").asText()).as(operation + " " + status)
                            .isEqualTo(ERROR_SCHEMA);
                }
            }
        }
    }

    @Test
    void queryParametersAreTypedAsTheManagerReadsThem() {
        JsonNode jobs = operation("get /api/jobs").get("parameters");
        assertThat(parameter(jobs, "size").at("/schema/type").asText()).isEqualTo("integer");
        assertThat(parameter(jobs, "size").at("/schema/minimum").asInt()).isEqualTo(1);
        assertThat(parameter(jobs, "size").at("/schema/maximum").asInt()).isEqualTo(1000);
        assertThat(parameter(jobs, "page").at("/schema/minimum").asInt()).isZero();
        assertThat(parameter(jobs, "serverId").at("/schema/format").asText()).isEqualTo("uuid");
        assertThat(parameter(jobs, "status").at("/schema/$ref").asText()).endsWith("/JobStatus");
        assertThat(document.at("/components/schemas/JobStatus/enum")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder(Arrays.stream(JobStatus.values()).map(Enum::name).toArray(String[]::new));
        JsonNode output = operation("get /api/jobs/{id}/output").get("parameters");
        assertThat(parameter(output, "follow").at("/schema/type").asText()).isEqualTo("boolean");
        assertThat(parameter(output, "tail").at("/schema/type").asText()).isEqualTo("integer");
        JsonNode stream = operation("get /api/events/stream");
        assertThat(parameter(stream.get("parameters"), "after").at("/schema/type").asText()).isEqualTo("integer");
        assertThat(stream.at("/responses/200/content").has("text/event-stream")).isTrue();
    }

    /** The stream: 200 as text/event-stream, as listed; closed once its headers came (events: DashboardApiTest). */
    private void streamAnswersAsListed(String jobId) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            HttpRequest request = HttpRequest.newBuilder(baseUri.resolve("/api/events/stream?job=" + jobId))
                    .header("Authorization", "Bearer " + TestTokens.VIEWER).timeout(Duration.ofSeconds(30)).build();
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                String type = response.headers().firstValue("Content-Type").orElse("");
                JsonNode listed = listedResponse("get /api/events/stream", response.statusCode());
                assertThat(listed.get("content").fieldNames()).toIterable().anyMatch(type::startsWith);
                assertThat(response.statusCode()).isEqualTo(200);
                called.add("get /api/events/stream");
            }
        }
    }

    private static RequestSpecification json(Object body) {
        return given().contentType(ContentType.JSON).body(body);
    }

    /**
     * Calls {@code method template} and checks that it answered {@code expected} and that its operation lists that
     * status with a content of the answer's media type, an {@code ApiError} for an error, whose properties are the
     * answer's JSON fields.
     */
    private Response call(Method method, String template, RequestSpecification request, int expected,
                          Object... pathParams) throws Exception {
        String operation = method.name().toLowerCase() + " " + template;
        Response response = request.request(method, template, pathParams);
        assertThat(response.statusCode()).as(operation + " answered: " + response.asString()).isEqualTo(expected);
        JsonNode listed = listedResponse(operation, response.statusCode());
        called.add(operation);
        if (response.statusCode() == 204) {
            return response;
        }
        String type = response.contentType();
        JsonNode content = listed.get("content");
        assertThat(content).as(operation + " " + expected + " content").isNotNull();
        assertThat(content.fieldNames()).toIterable().as(operation + " " + expected + " media types")
                .anyMatch(type::startsWith);
        JsonNode schema = content.get(ContentType.JSON.toString()).get("schema");
        if (expected >= 400) {
            assertThat(schema.path("$ref").asText()).as(operation + " " + expected).isEqualTo(ERROR_SCHEMA);
            assertThat(response.<String>path("error")).isNotBlank();
        }
        assertFits(operation + " " + expected, JSON.readTree(response.asString()), schema);
        return response;
    }

    /** Checks that the fields of {@code body} are properties of {@code schema} (the elements', for an array). */
    private void assertFits(String what, JsonNode body, JsonNode schema) {
        JsonNode resolved = resolve(schema);
        if (body.isArray()) {
            assertThat(resolved.path("type").asText()).as(what + " is an array").isEqualTo("array");
            body.forEach(element -> assertFits(what, element, resolved.get("items")));
        } else if (body.isObject()) {
            JsonNode properties = resolved.get("properties");
            assertThat(properties).as(what + ": the schema's properties").isNotNull();
            for (Iterator<String> fields = body.fieldNames(); fields.hasNext(); ) {
                String field = fields.next();
                assertThat(properties.has(field)).as(what + ": field " + field + " in " + schema).isTrue();
            }
        }
    }

    private JsonNode resolve(JsonNode schema) {
        String ref = schema.path("$ref").asText();
        return ref.isEmpty() ? schema : document.at(ref.substring(1));
    }

    private JsonNode listedResponse(String operation, int status) {
        JsonNode listed = operation(operation).path("responses").get(Integer.toString(status));
        assertThat(listed).as(operation + " lists " + status + " among " + listed(operation)).isNotNull();
        return listed;
    }

    private Set<String> listed(String operation) {
        Set<String> statuses = new TreeSet<>();
        operation(operation).path("responses").fieldNames().forEachRemaining(statuses::add);
        return statuses;
    }

    private JsonNode operation(String operation) {
        String[] parts = operation.split(" ", 2);
        JsonNode found = document.path("paths").path(parts[1]).get(parts[0]);
        assertThat(found).as("the document has " + operation).isNotNull();
        return found;
    }

    /** Every operation of the API in the document, as "get /api/jobs/{id}". */
    private List<String> operations() {
        List<String> operations = new ArrayList<>();
        document.path("paths").fields().forEachRemaining(path -> {
            if (path.getKey().startsWith("/api/")) {
                path.getValue().fieldNames().forEachRemaining(method -> {
                    if (METHODS.contains(method)) {
                        operations.add(method + " " + path.getKey());
                    }
                });
            }
        });
        assertThat(operations).as("the API's operations").hasSizeGreaterThan(20);
        return operations;
    }

    private static JsonNode parameter(JsonNode parameters, String name) {
        for (JsonNode parameter : parameters) {
            if (parameter.path("name").asText().equals(name)) {
                return parameter;
            }
        }
        throw new AssertionError("no parameter " + name + " in " + parameters);
    }
}
