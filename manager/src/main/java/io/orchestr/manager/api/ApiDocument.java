package io.orchestr.manager.api;

import io.orchestr.shared.Limits;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Completes the OpenAPI document ({@code /q/openapi}, {@code mp.openapi.filter}) with what the API's operations
 * share, so that each resource method annotates only its own answers (its success, and the 400, 404, 409, ... its
 * own code throws):
 * <ul>
 * <li>every error response of an operation, the security extension's 401 and 403 too, has the {@code ApiError}
 * body ({@link io.orchestr.shared.api.ApiError}, named in {@code package-info}) as JSON, which
 * {@link ApiExceptionMappers} answers whatever the operation produces;</li>
 * <li>every operation lists 429 ({@link RequestRate}, with {@code Retry-After}) and 500; every one but those of
 * {@code /api/session} (which read no table) 503 for a database outage; every one with a query or header
 * parameter or a body 400 naming the {@code field} ({@link Params}, {@link NewJobReader}); every one with a path
 * id 404 when it names nothing ({@link Params#pathId}); every one that takes a body 413 (over
 * {@code quarkus.http.limits.max-body-size}) and 415;</li>
 * <li>the query parameters that {@link Params} reads the same way wherever they appear ({@code page},
 * {@code size}, {@code tail}, {@code follow}, {@code after}, UUID filters) are typed with its bounds and defaults,
 * while the methods keep them as strings, so that a bad value is the API's own 400 naming the parameter; a path
 * id is a UUID (another names nothing: 404).</li>
 * </ul>
 * The filter only adds what an operation does not list itself.
 */
public final class ApiDocument implements OASFilter {
    /** The name of the error body's schema in the document's components. */
    static final String ERROR = "ApiError";

    /** The schemas of the parameters that {@link Params} reads, by name; made anew for each use. */
    private static final Map<String, Supplier<Schema>> PARAMETERS = Map.of(
            "page", () -> integer(0, Integer.MAX_VALUE).defaultValue(0),
            "size", () -> integer(1, Limits.PAGE_SIZE).defaultValue(Params.DEFAULT_PAGE_SIZE),
            "tail", () -> integer(0, Limits.OUTPUT_CHUNK).defaultValue(Limits.OUTPUT_TAIL),
            "follow", () -> of(SchemaType.BOOLEAN).defaultValue(false),
            "after", ApiDocument::eventId,
            "Last-Event-ID", ApiDocument::eventId,
            "serverId", ApiDocument::uuid,
            "parentId", ApiDocument::uuid,
            "job", () -> of(SchemaType.ARRAY).items(uuid()).maxItems(EventResource.MAX_WATCHED_PER_STREAM));

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (path.startsWith("/api/") && item.getOperations() != null) {
                item.getOperations().values().forEach(operation -> complete(path, operation));
            }
        });
    }

    private static void complete(String path, Operation operation) {
        List<Parameter> parameters = operation.getParameters() == null ? List.of() : operation.getParameters();
        parameters.forEach(ApiDocument::type);
        APIResponses responses = operation.getResponses();
        if (responses == null) {
            responses = OASFactory.createAPIResponses();
            operation.setResponses(responses);
        }
        if (operation.getRequestBody() != null || parameters.stream().anyMatch(ApiDocument::read)) {
            addIfAbsent(responses, "400", "a parameter or the body is not valid: the error names the field");
        }
        if (parameters.stream().anyMatch(parameter -> parameter.getIn() == Parameter.In.PATH)) {
            addIfAbsent(responses, "404", "the id names nothing (nor does one that is no UUID)");
        }
        addIfAbsent(responses, "429", "too many requests from this address (orchestr.limits.requests-per-second);"
                + " Retry-After says in how many seconds to try again");
        responses.getAPIResponse("429").addHeader("Retry-After", OASFactory.createHeader()
                .description("whole seconds until a request is taken again")
                .schema(of(SchemaType.INTEGER).minimum(BigDecimal.ONE)));
        addIfAbsent(responses, "500", "a failure of the manager, with an incident id that its log names");
        if (!path.startsWith("/api/session")) {
            addIfAbsent(responses, "503", "the database does not answer; try again later");
        }
        if (operation.getRequestBody() != null) {
            addIfAbsent(responses, "413", "the body is larger than quarkus.http.limits.max-body-size");
            addIfAbsent(responses, "415", "the body is not of a content type the operation takes");
        }
        responses.getAPIResponses().forEach((status, response) -> {
            if (status.startsWith("4") || status.startsWith("5")) {
                response.setContent(OASFactory.createContent().addMediaType(MediaType.APPLICATION_JSON,
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref(ERROR))));
            }
        });
    }

    private static void addIfAbsent(APIResponses responses, String status, String description) {
        if (!responses.hasAPIResponse(status)) {
            responses.addAPIResponse(status, OASFactory.createAPIResponse().description(description));
        }
    }

    private static void type(Parameter parameter) {
        Supplier<Schema> schema = PARAMETERS.get(parameter.getName());
        if (schema != null && read(parameter)) {
            parameter.setSchema(schema.get());
        } else if (parameter.getIn() == Parameter.In.PATH) {
            parameter.setSchema(uuid());
        }
    }

    /** A parameter that {@link Params} reads, whose bad value is a 400 (a path id's is a 404). */
    private static boolean read(Parameter parameter) {
        return parameter.getIn() == Parameter.In.QUERY || parameter.getIn() == Parameter.In.HEADER;
    }

    private static Schema of(SchemaType type) {
        return OASFactory.createSchema().type(List.of(type));
    }

    private static Schema integer(long minimum, long maximum) {
        return of(SchemaType.INTEGER).format("int32").minimum(BigDecimal.valueOf(minimum))
                .maximum(BigDecimal.valueOf(maximum));
    }

    private static Schema eventId() {
        return of(SchemaType.INTEGER).format("int64").minimum(BigDecimal.ZERO);
    }

    private static Schema uuid() {
        return of(SchemaType.STRING).format("uuid");
    }
}
