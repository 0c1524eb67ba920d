package io.orchestr.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one scenario run measured: printed as one Markdown table and written as one JSON file.
 *
 * @param id       names the JSON file, e.g. {@code failover-20}
 * @param settings the sizes and options the run used, in the order they are printed
 * @param notes    what the figures cannot say by themselves (a figure that could not be measured, and why)
 */
record Report(String id, String title, Map<String, Object> settings, List<Figure> figures, List<String> notes) {

    Report {
        settings = new LinkedHashMap<>(settings);
        figures = List.copyOf(figures);
        notes = List.copyOf(notes);
    }
}
