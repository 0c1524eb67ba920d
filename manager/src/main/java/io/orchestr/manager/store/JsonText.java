package io.orchestr.manager.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestr.shared.json.WireCodec;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import java.nio.charset.StandardCharsets;

/** Stores JSON values ({@code params}, {@code result}) as text; null and JSON {@code null} are stored as NULL. */
@Converter
public class JsonText implements AttributeConverter<JsonNode, String> {
    private static final WireCodec JSON = new WireCodec();

    @Override
    public String convertToDatabaseColumn(JsonNode value) {
        return toSql(value);
    }

    @Override
    public JsonNode convertToEntityAttribute(String text) {
        return text == null ? null : JSON.decode(text.getBytes(StandardCharsets.UTF_8), JsonNode.class);
    }

    /** {@code value} as the text the column holds, for hand-written SQL. */
    static String toSql(JsonNode value) {
        JsonNode json = WireCodec.orNull(value);
        return json == null ? null : new String(JSON.encode(json), StandardCharsets.UTF_8);
    }
}
