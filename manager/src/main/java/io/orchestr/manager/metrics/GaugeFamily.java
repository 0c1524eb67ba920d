package io.orchestr.manager.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gauges of one name, one per set of tags, set together from one refresh. A gauge a refresh no longer names
 * shows 0 rather than going away: its tags are bounded (pools, node names, statuses), and a series that stops is
 * read as "no data" rather than as none left. Each gauge is registered once and its value set at every refresh.
 */
final class GaugeFamily {
    private final String name;
    private final String description;
    private final MeterRegistry registry;
    private final Map<Tags, AtomicLong> values = new ConcurrentHashMap<>();

    GaugeFamily(String name, String description, MeterRegistry registry) {
        this.name = name;
        this.description = description;
        this.registry = registry;
    }

    /** Shows {@code shown}, and 0 for every gauge of this name it leaves out. */
    void show(Map<Tags, Long> shown) {
        values.forEach((tags, value) -> value.set(shown.getOrDefault(tags, 0L)));
        shown.forEach((tags, value) -> values.computeIfAbsent(tags, this::register).set(value));
    }

    private AtomicLong register(Tags tags) {
        AtomicLong value = new AtomicLong();
        // a gauge of this name and tags that an earlier application left in the registry (tests restart the
        // manager in one JVM, and Micrometer's global registry outlives it) would be returned as is, reading the
        // earlier one's value: it is replaced by this family's
        Gauge stale = registry.find(name).tags(tags).gauge();
        if (stale != null) {
            registry.remove(stale);
        }
        Gauge.builder(name, value, AtomicLong::get).tags(tags).description(description).register(registry);
        return value;
    }
}
