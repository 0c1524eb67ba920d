package io.orchestr.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/** Writes each report as {@code <dir>/<report id>-<timestamp>.json}, with every sample behind its figures. */
final class JsonResults {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path dir;
    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    JsonResults(Path dir) {
        this.dir = dir;
    }

    Path write(Report report, LocalDateTime at) {
        Path file = dir.resolve(report.id() + "-" + STAMP.format(at) + ".json");
        try {
            Files.createDirectories(dir);
            mapper.writeValue(file.toFile(), new Document(at.toString(), report.id(), report.title(),
                    report.settings(), report.figures(), report.notes()));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private record Document(String measuredAt, String id, String title, Map<String, Object> settings,
                            List<Figure> figures, List<String> notes) {
    }
}
