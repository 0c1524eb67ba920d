package io.orchestr.node.quarkus;

import io.orchestr.node.JobHandler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns the application's {@link JobHandler} beans into the node's handler per job type, and refuses to start a node
 * whose beans do not say clearly which type each one runs.
 */
final class HandlerBeans {
    /** One {@code JobHandler} bean as the container knows it: where it comes from and its {@link JobType}, if any. */
    record Found(String bean, Optional<String> type, JobHandler handler) {
    }

    private HandlerBeans() {
    }

    /**
     * @throws IllegalStateException naming what is wrong: no handler at all, a handler without {@link JobType},
     *                               or two handlers of one type
     */
    static Map<String, JobHandler> byType(List<Found> beans) {
        if (beans.isEmpty()) {
            throw new IllegalStateException("This Orchestr node has no job handler, so it could run no job. Add a bean"
                    + " that implements io.orchestr.node.JobHandler, with a scope and @JobType(\"<type>\"), e.g."
                    + " '@ApplicationScoped @JobType(\"sync-orders\") class SyncOrders implements JobHandler'");
        }
        Map<String, JobHandler> byType = new TreeMap<>();
        Map<String, String> beanOf = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (Found found : beans) {
            if (found.type().isEmpty()) {
                problems.add(found.bean() + " implements JobHandler but has no @JobType(\"<type>\")");
                continue;
            }
            String type = found.type().get();
            if (type.isBlank()) {
                problems.add(found.bean() + " has a blank @JobType");
            } else if (byType.putIfAbsent(type, found.handler()) != null) {
                problems.add("job type '" + type + "' has two handlers: " + beanOf.get(type) + " and " + found.bean());
            } else {
                beanOf.put(type, found.bean());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("This Orchestr node's job handlers are ambiguous: "
                    + String.join("; ", problems));
        }
        return byType;
    }

    /**
     * The handlers of the {@code types} the node is to run ({@code orchestr.node.types}), all of them when absent: a
     * node of a rolling upgrade runs, and advertises, only the types its version is meant to.
     *
     * @throws IllegalStateException when a type named has no handler, or none is named
     */
    static Map<String, JobHandler> only(Map<String, JobHandler> byType, Optional<Set<String>> types) {
        if (types.isEmpty()) {
            return byType;
        }
        Set<String> missing = new TreeSet<>(types.get());
        missing.removeAll(byType.keySet());
        if (types.get().isEmpty() || !missing.isEmpty()) {
            throw new IllegalStateException("orchestr.node.types (ORCHESTR_NODE_TYPES) must name job types this node"
                    + " has handlers for, " + byType.keySet() + (missing.isEmpty() ? "; it names none"
                    : "; it names " + missing + ", which it has none for"));
        }
        Map<String, JobHandler> chosen = new TreeMap<>(byType);
        chosen.keySet().retainAll(types.get());
        return chosen;
    }
}
