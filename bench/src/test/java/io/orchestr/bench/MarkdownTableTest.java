package io.orchestr.bench;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MarkdownTableTest {

    @Test
    void aReportBecomesAHeadingASettingsLineATableAndItsNotes() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("jobs", 20);
        settings.put("nodes", 2);
        Report report = new Report("failover-20", "Failover: 20 jobs", settings, List.of(
                Figure.of("kill → running elsewhere", "ms", List.of(310.0, 420.0, 705.4), "≤ 1000 ms"),
                Figure.single("jobs that ran twice", "jobs", 0, "0")), List.of("from the tick files"));

        String table = MarkdownTable.render(report);

        assertThat(table).isEqualTo("""
                ### Failover: 20 jobs

                settings: jobs=20, nodes=2

                | figure | unit | n | min | median | p99 | max | target |
                |---|---|---:|---:|---:|---:|---:|---|
                | kill → running elsewhere | ms | 3 | 310 | 420 | 705 | 705 | ≤ 1000 ms |
                | jobs that ran twice | jobs | 1 | 0 | 0 | 0 | 0 | 0 |

                - from the tick files
                """);
    }

    @Test
    void pipesInACellAreEscaped() {
        Report report = new Report("x", "x", Map.of(), List.of(Figure.single("a | b", "ms", 1, "")), List.of());

        assertThat(MarkdownTable.render(report)).contains("| a \\| b | ms |");
    }

    @Test
    void numbersKeepAboutThreeSignificantDigits() {
        assertThat(MarkdownTable.number(12)).isEqualTo("12");
        assertThat(MarkdownTable.number(1234.56)).isEqualTo("1235");
        assertThat(MarkdownTable.number(123.4)).isEqualTo("123");
        assertThat(MarkdownTable.number(12.345)).isEqualTo("12.3");
        assertThat(MarkdownTable.number(1.2345)).isEqualTo("1.23");
        assertThat(MarkdownTable.number(0.01234)).isEqualTo("0.01");
    }
}
