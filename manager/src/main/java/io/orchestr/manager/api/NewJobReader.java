package io.orchestr.manager.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.orchestr.manager.InvalidRequestException;
import io.orchestr.shared.api.BulkRequest;
import io.orchestr.shared.api.JobUpdate;
import io.orchestr.shared.api.NewJob;
import io.orchestr.shared.json.WireCodec;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Reads the bodies of {@code POST /api/jobs}, {@code POST /api/jobs/batch}, {@code PATCH /api/jobs/{id}} and
 * {@code POST /api/jobs/{id}/rerun} field by field, so that a wrong JSON type is answered with a 400 naming the
 * field rather than a parser's message.
 */
@ApplicationScoped
class NewJobReader {
    /** The fields {@code PATCH} takes, in the order the API documents them. */
    private static final Set<String> EDITABLE = new LinkedHashSet<>(List.of("argument", "params", "restart",
            "maxRestarts", "heartbeatTimeout", "timeout", "sticky"));
    private static final String KEEP_CHECKPOINT = "keepCheckpoint";

    private static final List<String> BULK_FIELDS = List.of("action", "group", "parentId", "ids");
    private final ObjectReader reader;

    NewJobReader(WireCodec codec) {
        this.reader = codec.mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /**
     * @throws InvalidRequestException when the body is not a JSON object, or a field has the wrong JSON type
     *                                 ({@code maxRestarts} a whole number, {@code heartbeatTimeout} and
     *                                 {@code timeout} ISO-8601 duration strings, {@code params} any JSON,
     *                                 {@code sticky} a boolean, every other field a string)
     */
    NewJob read(String body) {
        JsonNode root = parse(body);
        if (root == null || !root.isObject()) {
            throw new InvalidRequestException(null,
                    "the body must be a JSON object such as {\"name\": \"my-job\", \"argument\": \"...\"}");
        }
        return PipelineCheck.checked(job(root));
    }

    /**
     * Reads the body of {@code POST /api/jobs/batch}: an array of what {@link #read} takes.
     *
     * @throws InvalidRequestException when the body is not a JSON array, or an element is not what {@link #read}
     *                                 takes (naming the element)
     */
    List<NewJob> readBatch(String body) {
        JsonNode root = parse(body);
        if (root == null || !root.isArray()) {
            throw new InvalidRequestException(null,
                    "the body must be a JSON array of jobs such as [{\"name\": \"my-job\"}]");
        }
        List<NewJob> jobs = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            JsonNode element = root.get(i);
            if (!element.isObject()) {
                throw new InvalidRequestException(null, "a job must be a JSON object such as {\"name\": \"my-job\"},"
                        + " not " + typeOf(element)).inElement(i);
            }
            try {
                jobs.add(PipelineCheck.checked(job(element)));
            } catch (InvalidRequestException e) {
                throw e.inElement(i);
            }
        }
        return jobs;
    }

    /**
     * Reads the optional body of {@code POST /api/jobs/{id}/move}: nothing, or {@code {"serverId": "<uuid>"}}.
     *
     * @return the server named, null for none
     * @throws InvalidRequestException when the body is not such an object
     */
    UUID readMoveTarget(String body) {
        JsonNode root = parse(body);
        if (root == null) {
            return null;
        }
        if (!root.isObject()) {
            throw new InvalidRequestException(null, "the body must be empty or a JSON object such as"
                    + " {\"serverId\": \"...\"}");
        }
        onlyField(root, "serverId", "a move");
        return Params.uuid("serverId", text(root, "serverId"));
    }

    /**
     * Reads the body of {@code POST /api/jobs/bulk}: {@code {"action", "group"?, "parentId"?, "ids"?}}.
     *
     * @throws InvalidRequestException when the body is not such an object, or a field has the wrong JSON type
     */
    BulkRequest readBulk(String body) {
        JsonNode root = parse(body);
        if (root == null || !root.isObject()) {
            throw new InvalidRequestException(null, "the body must be a JSON object such as"
                    + " {\"action\": \"pause\", \"group\": \"nightly\"}");
        }
        Params.onlyFields(root, BULK_FIELDS, field -> field,
                field -> "a bulk action takes only " + BULK_FIELDS + ", not " + field);
        JsonNode ids = root.get("ids");
        List<UUID> listed = null;
        if (ids != null && !ids.isNull()) {
            if (!ids.isArray()) {
                throw new InvalidRequestException("ids", "ids must be a JSON array of job ids");
            }
            listed = new ArrayList<>(ids.size());
            for (JsonNode id : ids) {
                UUID parsed = id.isTextual() ? Params.uuid("ids", id.textValue()) : null;
                if (parsed == null) {
                    throw new InvalidRequestException("ids", "ids must hold job ids (UUID strings), not " + id);
                }
                listed.add(parsed);
            }
        }
        return new BulkRequest(text(root, "action"), text(root, "group"),
                Params.uuid("parentId", text(root, "parentId")), listed);
    }

    /** Refuses every field of {@code root} but {@code allowed}, naming it and what {@code takes} it. */
    private static void onlyField(JsonNode root, String allowed, String takes) {
        Params.onlyFields(root, List.of(allowed), field -> field, field -> takes + " takes only " + allowed + ", not "
                + field);
    }

    /**
     * Reads the body of {@code PATCH /api/jobs/{id}}, a JSON merge patch: a field left out stays, {@code null}
     * clears it, any other value has the type {@link #read} wants for it. Only the fields a waiting job may change
     * are taken.
     *
     * @throws InvalidRequestException when the body is not a JSON object, or names a field that cannot be changed,
     *                                 or a field has the wrong JSON type
     */
    JobUpdate readUpdate(String body) {
        JsonNode root = parse(body);
        if (root == null || !root.isObject()) {
            throw new InvalidRequestException(null, "the body must be a JSON merge patch object such as"
                    + " {\"argument\": \"...\", \"timeout\": null}");
        }
        Params.onlyFields(root, EDITABLE, field -> field, field -> field + " cannot be changed; a job's " + EDITABLE
                + " can");
        return new JobUpdate(change(root, "argument", NewJobReader::text), change(root, "params", JsonNode::get),
                change(root, "restart", NewJobReader::text), change(root, "maxRestarts", NewJobReader::integer),
                change(root, "heartbeatTimeout", NewJobReader::duration),
                change(root, "timeout", NewJobReader::duration), change(root, "sticky", NewJobReader::bool));
    }

    /**
     * Reads the optional body of {@code POST /api/jobs/{id}/rerun}: {@code {"keepCheckpoint": true}}.
     *
     * @return whether the rerun keeps the job's last checkpoint; false without a body
     * @throws InvalidRequestException when the body is not a JSON object, names another field, or
     *                                 {@code keepCheckpoint} is not a boolean
     */
    boolean readKeepCheckpoint(String body) {
        JsonNode root = parse(body);
        if (root == null) {
            return false;
        }
        if (!root.isObject()) {
            throw new InvalidRequestException(null, "the body must be a JSON object such as"
                    + " {\"keepCheckpoint\": true}, or none");
        }
        onlyField(root, KEEP_CHECKPOINT, "a rerun");
        JsonNode keep = root.get(KEEP_CHECKPOINT);
        if (keep != null && !keep.isNull() && !keep.isBoolean()) {
            throw new InvalidRequestException(KEEP_CHECKPOINT, KEEP_CHECKPOINT + " must be true or false, not "
                    + keep);
        }
        return keep != null && keep.asBoolean();
    }

    /** A field of a merge patch: null when absent, empty when JSON {@code null}, else the value read. */
    private static <T> Optional<T> change(JsonNode root, String field, BiFunction<JsonNode, String, T> read) {
        JsonNode value = root.get(field);
        if (value == null) {
            return null;
        }
        return value.isNull() ? Optional.empty() : Optional.of(read.apply(root, field));
    }

    /** The body as a JSON tree; null when it is empty. */
    private JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : reader.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException(null, "the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** The job {@code root}, a JSON object, describes, each field of the JSON type it must have. */
    static NewJob job(JsonNode root) {
        // params may be any JSON value; its size is checked with the other rules (JobSpec)
        return new NewJob(text(root, "name"), text(root, "argument"), text(root, "type"), text(root, "pool"),
                text(root, "restart"), integer(root, "maxRestarts"), duration(root, "heartbeatTimeout"),
                root.get("params"), duration(root, "timeout"), text(root, "group"), integer(root, "index"),
                Params.uuid("parentId", text(root, "parentId")), text(root, "concurrencyKey"),
                integer(root, "concurrencyLimit"), bool(root, "sticky"));
    }

    private static String text(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidRequestException(field, field + " must be a JSON string, not " + typeOf(value));
        }
        return value.textValue();
    }

    private static String typeOf(JsonNode value) {
        return value.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static Integer integer(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new InvalidRequestException(field, field + " must be a whole number, not " + value);
        }
        return value.intValue();
    }

    private static Boolean bool(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw new InvalidRequestException(field, field + " must be true or false, not " + value);
        }
        return value.booleanValue();
    }

    /** An ISO-8601 duration string such as {@code "PT30S"}; a bare number is refused, its unit would be a guess. */
    private static Duration duration(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            try {
                return Duration.parse(value.textValue());
            } catch (DateTimeParseException e) {
                // answered below, as any other value that is not a duration
            }
        }
        throw new InvalidRequestException(field, field + " must be an ISO-8601 duration string such as \"PT30S\","
                + " not " + value);
    }
}
