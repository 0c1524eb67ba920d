package io.orchestr.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Samples of a Prometheus text exposition, such as Quarkus serves at {@code /q/metrics}. */
record PrometheusText(List<Sample> samples) {

    /** One line: {@code name{labels} value}; {@code labels} is the text between the braces, maybe empty. */
    record Sample(String name, String labels, double value) {
    }

    PrometheusText {
        samples = List.copyOf(samples);
    }

    static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int brace = trimmed.indexOf('{');
            int close = trimmed.lastIndexOf('}');
            int space = brace >= 0 ? trimmed.indexOf(' ', close) : trimmed.indexOf(' ');
            if (space < 0) {
                continue;
            }
            String name = trimmed.substring(0, brace >= 0 ? brace : space);
            String labels = brace >= 0 ? trimmed.substring(brace + 1, close) : "";
            String[] rest = trimmed.substring(space + 1).strip().split(" ");
            try {
                samples.add(new Sample(name, labels, Double.parseDouble(rest[0])));
            } catch (NumberFormatException e) {
                // not a sample line we understand; the exposition format allows no such line, so skip it
            }
        }
        return new PrometheusText(samples);
    }

    /** The sum of the samples named {@code name} whose labels contain {@code labelFragment}. */
    double sum(String name, String labelFragment) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().contains(labelFragment))
                .mapToDouble(Sample::value).sum();
    }

    /** The names of the samples whose name contains {@code fragment}. */
    Set<String> namesContaining(String fragment) {
        Set<String> names = new TreeSet<>();
        samples.stream().map(Sample::name).filter(name -> name.contains(fragment)).forEach(names::add);
        return names;
    }
}
