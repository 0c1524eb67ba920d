package io.orchestr.manager.job;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Gives each role run of one job a node of its own among the nodes it may go to, all of them or none: a maximum
 * bipartite matching (augmenting paths, Kuhn), so that a role only one node serves gets that node even when another
 * role could have taken it first. A job has a handful of roles and a pool a few hundred nodes at most, so the
 * search is small. Pure: no state.
 */
final class RoleMatching {
    private RoleMatching() {
    }

    /**
     * @param candidates for each role run (any key), the nodes it may go to
     * @return a node for every role run, no node twice; empty when there is no such choice
     */
    static <R, N> Optional<Map<R, N>> match(Map<R, List<N>> candidates) {
        Map<N, R> runOf = new HashMap<>();
        for (R run : candidates.keySet()) {
            if (!augment(run, candidates, runOf, new HashSet<>())) {
                return Optional.empty();
            }
        }
        Map<R, N> nodes = new HashMap<>();
        runOf.forEach((node, run) -> nodes.put(run, node));
        return Optional.of(nodes);
    }

    /** Finds {@code run} a node, moving runs placed before to other nodes where that frees one. */
    private static <R, N> boolean augment(R run, Map<R, List<N>> candidates, Map<N, R> runOf, Set<N> seen) {
        for (N node : candidates.get(run)) {
            if (seen.add(node) && (!runOf.containsKey(node) || augment(runOf.get(node), candidates, runOf, seen))) {
                runOf.put(node, run);
                return true;
            }
        }
        return false;
    }
}
