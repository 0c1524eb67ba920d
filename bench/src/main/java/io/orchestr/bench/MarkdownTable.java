package io.orchestr.bench;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Renders a {@link Report} as a Markdown heading, a settings line, a table, and its notes. */
final class MarkdownTable {
    private static final List<String> HEADER = List.of("figure", "unit", "n", "min", "median", "p99", "max", "target");

    private MarkdownTable() {
    }

    static String render(Report report) {
        StringBuilder out = new StringBuilder();
        out.append("### ").append(report.title()).append("\n\n");
        out.append("settings: ").append(report.settings().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "))).append("\n\n");
        out.append(row(HEADER));
        out.append("|---|---|---:|---:|---:|---:|---:|---|\n");
        for (Figure figure : report.figures()) {
            Stats stats = figure.stats();
            out.append(row(List.of(figure.name(), figure.unit(), Integer.toString(stats.n()), number(stats.min()),
                    number(stats.median()), number(stats.p99()), number(stats.max()), figure.target())));
        }
        for (String note : report.notes()) {
            out.append("\n- ").append(note);
        }
        return out.append('\n').toString();
    }

    private static String row(List<String> cells) {
        return cells.stream().map(cell -> cell.replace("|", "\\|"))
                .collect(Collectors.joining(" | ", "| ", " |\n"));
    }

    /** Whole numbers as they are; others with the decimals their size warrants (3 significant digits at least). */
    static String number(double value) {
        if (value == Math.rint(value) || Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        return String.format(Locale.ROOT, Math.abs(value) >= 10 ? "%.1f" : "%.2f", value);
    }
}
