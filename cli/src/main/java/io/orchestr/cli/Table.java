package io.orchestr.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Rows of text in aligned columns, as kubectl prints them: a header in capitals, two spaces between columns. */
final class Table {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... header) {
        this.header = Arrays.stream(header).map(String::toUpperCase).toList();
    }

    /** Adds a row; null cells print as {@code -}. */
    Table row(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells under " + header.size()
                    + " columns");
        }
        rows.add(Arrays.stream(cells).map(cell -> cell == null ? "-" : cell.toString()).toList());
        return this;
    }

    /** The table as lines ending in a newline each; trailing spaces trimmed. */
    String render() {
        int[] widths = new int[header.size()];
        for (List<String> line : lines()) {
            for (int column = 0; column < widths.length; column++) {
                widths[column] = Math.max(widths[column], line.get(column).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> line : lines()) {
            StringBuilder text = new StringBuilder();
            for (int column = 0; column < widths.length; column++) {
                text.append(String.format("%-" + widths[column] + "s", line.get(column)));
                if (column < widths.length - 1) {
                    text.append("  ");
                }
            }
            out.append(text.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private List<List<String>> lines() {
        List<List<String>> lines = new ArrayList<>(rows.size() + 1);
        lines.add(header);
        lines.addAll(rows);
        return lines;
    }
}
