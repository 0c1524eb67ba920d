package io.orchestr.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads {@code deploy/grafana/orchestr-dashboard.json} and the metrics table of {@code docs/operations.md}: the
 * dashboard is one Grafana can import, and every metric it queries is one the table documents, so the two stay in
 * step when a meter is renamed.
 */
class GrafanaDashboardTest {
    private static final Path ROOT =
            Path.of(System.getProperty("orchestr.deploy-root", "../deploy")).toAbsolutePath().normalize().getParent();
    /** A metric name in a query. */
    private static final Pattern METRIC = Pattern.compile("\\borchestr_[a-z_]+");
    /** The first cell of a row of the metrics table: the metric's name. */
    private static final Pattern TABLE_ROW = Pattern.compile("(?m)^\\| `(orchestr_[a-z_]+)` \\|");
    /** The series a histogram or timer adds to its name. */
    private static final Pattern HISTOGRAM_SERIES = Pattern.compile("_(bucket|count|sum|max)$");

    private static JsonNode dashboard;
    private static Set<String> documented;

    @BeforeAll
    static void read() throws IOException {
        dashboard = new ObjectMapper().readTree(ROOT.resolve("deploy/grafana/orchestr-dashboard.json").toFile());
        documented = new TreeSet<>();
        Matcher rows = TABLE_ROW.matcher(Files.readString(ROOT.resolve("docs/operations.md")));
        while (rows.find()) {
            documented.add(rows.group(1));
        }
    }

    @Test
    void theDashboardHasPanelsWithPrometheusQueriesThroughItsDataSourceVariable() {
        assertThat(dashboard.path("title").asText()).isEqualTo("Orchestr");
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        assertThat(dashboard.path("schemaVersion").asInt()).isPositive();
        assertThat(dashboard.at("/templating/list/0/type").asText()).isEqualTo("datasource");
        List<Integer> ids = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            ids.add(panel.path("id").asInt());
            assertThat(panel.path("title").asText()).isNotBlank();
            assertThat(panel.at("/datasource/uid").asText()).as(panel.path("title").asText())
                    .isEqualTo("${datasource}");
            assertThat(panel.at("/gridPos/w").asInt()).isPositive();
            assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
            panel.path("targets").forEach(target -> assertThat(target.path("expr").asText()).isNotBlank());
        }
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(titles()).contains("Jobs by status", "Slots per node", "Claim decisions", "Failover duration",
                "Fences", "Broker confirm latency (p99)", "Handler heartbeat age");
    }

    @Test
    void everyMetricTheDashboardQueriesIsInTheMetricsTable() {
        assertThat(documented).as("the metrics table of docs/operations.md").hasSizeGreaterThan(10);
        Set<String> queried = queriedMetrics();
        assertThat(queried).isNotEmpty();
        for (String metric : queried) {
            String base = HISTOGRAM_SERIES.matcher(metric).replaceFirst("");
            assertThat(documented.contains(metric) || documented.contains(base))
                    .as("%s, queried by the dashboard, is in the metrics table", metric).isTrue();
        }
    }

    private static List<String> titles() {
        List<String> titles = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> titles.add(panel.path("title").asText()));
        return titles;
    }

    /** Every metric named in a panel's query or a variable's. */
    private static Set<String> queriedMetrics() {
        Set<String> metrics = new TreeSet<>();
        List<String> queries = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> panel.path("targets")
                .forEach(target -> queries.add(target.path("expr").asText())));
        dashboard.at("/templating/list").forEach(variable -> queries.add(variable.path("definition").asText()));
        for (String query : queries) {
            Matcher matcher = METRIC.matcher(query);
            while (matcher.find()) {
                metrics.add(matcher.group());
            }
        }
        return metrics;
    }
}
