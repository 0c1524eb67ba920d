package io.orchestr.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JsonResultsTest {

    @Test
    void writesAReportUnderItsIdAndTimeWithEverySample(@TempDir Path dir) throws IOException {
        Report report = new Report("start-latency", "Start latency", Map.of("jobs", 3),
                List.of(Figure.of("POST → start", "ms", List.of(4.0, 5.0, 9.0), "p99 < 20 ms")), List.of());

        Path file = new JsonResults(dir).write(report, LocalDateTime.of(2026, 1, 2, 3, 4, 5));

        assertThat(file).isEqualTo(dir.resolve("start-latency-20260102-030405.json"));
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertThat(json.path("settings").path("jobs").asInt()).isEqualTo(3);
        JsonNode figure = json.path("figures").get(0);
        assertThat(figure.path("stats").path("p99").asDouble()).isEqualTo(9.0);
        assertThat(figure.path("samples")).hasSize(3);
        assertThat(figure.path("target").asText()).isEqualTo("p99 < 20 ms");
    }
}
