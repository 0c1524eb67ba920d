package io.orchestr.shared.json;

import io.orchestr.shared.Causes;
import io.orchestr.shared.Limits;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.orchestr.shared.wire.JobMessage;
import io.orchestr.shared.wire.ToManager;
import io.orchestr.shared.wire.ToNode;

import java.io.IOException;
import java.util.List;

/**
 * Encodes and decodes the wire records and REST bodies as JSON (UTF-8, ISO-8601 instants). Thread-safe.
 */
public final class WireCodec {
    /** The content type set on every message Orchestr publishes. */
    public static final String CONTENT_TYPE = "application/json";

    private final ObjectMapper mapper;

    public WireCodec() {
        this.mapper = configure(JsonMapper.builder()).build();
    }

    /**
     * Applies Orchestr's JSON settings (java.time as ISO-8601, unknown fields ignored) to a builder, so that
     * a framework's own mapper can share them.
     */
    public static JsonMapper.Builder configure(JsonMapper.Builder builder) {
        return builder.addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    /** The mapper behind this codec, for callers that map other types (the HTTP client). */
    public ObjectMapper mapper() {
        return mapper;
    }

    public byte[] encode(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    /** The size of {@code value} encoded as UTF-8 JSON, in bytes, as {@link io.orchestr.shared.Limits} counts. */
    public int encodedSize(JsonNode value) {
        return encode(value).length;
    }

    /**
     * {@code value}, or null when it is absent or JSON {@code null}: Jackson reads a JSON {@code null} into a
     * {@link JsonNode} field as a {@code NullNode}, and a record with optional JSON ({@code params}, {@code result})
     * means "none" by either.
     */
    public static JsonNode orNull(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode() ? null : value;
    }

    /**
     * The {@code kind} a message of the wire protocol ({@link ToManager}, {@link ToNode}) carries, such as {@code
     * node-left}, as logs name it; the class's simple name for anything else.
     */
    public static String kindOf(Object message) {
        for (Class<?> family : List.of(ToManager.class, ToNode.class)) {
            JsonSubTypes types = family.getAnnotation(JsonSubTypes.class);
            for (JsonSubTypes.Type type : types.value()) {
                if (type.value() == message.getClass()) {
                    return type.name();
                }
            }
        }
        return message.getClass().getSimpleName();
    }

    public JobMessage decodeJob(byte[] body) {
        return decode(body, JobMessage.class);
    }

    public ToManager decodeToManager(byte[] body) {
        return decode(body, ToManager.class);
    }

    public ToNode decodeToNode(byte[] body) {
        return decode(body, ToNode.class);
    }

    /**
     * Decodes {@code body} as {@code type}; anything unreadable, or larger than {@link Limits#MESSAGE}, becomes a
     * {@link MalformedMessageException}.
     */
    public <T> T decode(byte[] body, Class<T> type) {
        if (body.length > Limits.MESSAGE) {
            throw new MalformedMessageException("a " + type.getSimpleName() + " of " + body.length + " bytes, over"
                    + " the " + Limits.MESSAGE + " bytes a message may have (left unread)", null);
        }
        try {
            T value = mapper.readValue(body, type);
            if (value == null) {
                throw new MalformedMessageException("empty " + type.getSimpleName(), null);
            }
            return value;
        } catch (IOException | RuntimeException e) {
            if (e instanceof MalformedMessageException m) {
                throw m;
            }
            throw new MalformedMessageException("not a valid " + type.getSimpleName() + ": " + Causes.describe(e), e);
        }
    }
}
