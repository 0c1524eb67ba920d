package io.orchestr.manager.store;

import io.orchestr.shared.json.WireCodec;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * The job types a node reports, as {@code server.job_types} holds them: a JSON array of names, since a type name
 * may hold a comma; NULL for a node that reported none (it predates types).
 */
final class JobTypeList {
    private static final WireCodec JSON = new WireCodec();

    private JobTypeList() {
    }

    static String toSql(List<String> types) {
        return types == null ? null : new String(JSON.encode(types), StandardCharsets.UTF_8);
    }

    /** The types in {@code column}; null when it is NULL (the node's types are not known). */
    static Set<String> of(Object column) {
        return column == null ? null
                : Set.of(JSON.decode(column.toString().getBytes(StandardCharsets.UTF_8), String[].class));
    }
}
