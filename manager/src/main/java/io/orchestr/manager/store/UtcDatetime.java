package io.orchestr.manager.store;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

/**
 * Stores instants in {@code DATETIME(3)} columns as UTC text with milliseconds. Connector/J drops the fraction of
 * every time value it binds when the server reports a version before 5.6.4, and MariaDB reports 5.5.5; a
 * string keeps it, and the database converts it like any datetime literal.
 */
@Converter
public class UtcDatetime implements AttributeConverter<Instant, String> {
    private static final DateTimeFormatter WRITE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter READ = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();

    /** {@code instant} as a datetime literal, for hand-written SQL; null stays null. */
    public static String toSql(Instant instant) {
        return instant == null ? null : WRITE.format(instant);
    }

    @Override
    public String convertToDatabaseColumn(Instant instant) {
        return toSql(instant);
    }

    @Override
    public Instant convertToEntityAttribute(String text) {
        return text == null ? null : LocalDateTime.parse(text, READ).toInstant(ZoneOffset.UTC);
    }
}
