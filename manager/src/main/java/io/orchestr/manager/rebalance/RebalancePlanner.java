package io.orchestr.manager.rebalance;

import io.orchestr.manager.store.RebalanceRows.HeldJob;
import io.orchestr.manager.store.RebalanceRows.Node;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Decides which jobs move where so that every node of a pool holds its share of the pool's jobs, within one job
 * (docs/architecture.md, "Rebalancing"). Pure: it sees the fleet as given and changes nothing.
 *
 * <p>A node's share of a pool is the pool's jobs on its nodes times the node's part of their slots. While a node is
 * more than one job off its share, a move goes from the node most over its share to the one most under it that can
 * take the job (a free slot, the pool, and exec jobs if the job is one), between two nodes whose distances to their
 * shares differ by more than one job: each move then brings the pool nearer to even (the sum of the squared
 * distances falls), so the planning ends. Only movable jobs ({@link HeldJob#movable}) that are not sticky and were
 * not moved in this round already move; the others stay and count where they are.
 */
public final class RebalancePlanner {
    private RebalancePlanner() {
    }

    /** Job {@code jobId} of {@code pool} moves from node {@code from} to node {@code to}. */
    public record Move(UUID jobId, String pool, UUID from, UUID to) {
    }

    /**
     * The moves to ask for now.
     *
     * @param settled true when no move is wanted beyond {@link #moves}: the round may end once there are none;
     *                false when the limit held some back
     */
    public record Plan(List<Move> moves, boolean settled) {
        public Plan {
            moves = List.copyOf(moves);
        }
    }

    /**
     * Plans at most {@code limit} moves among {@code nodes}, the nodes that can take jobs now. {@code jobs} are the
     * jobs that take a slot, each on the node it takes it on; those on other nodes (draining, lost) are left out of
     * every count.
     *
     * @param moved the jobs moved in this round already, which stay where they are
     */
    public static Plan plan(List<Node> nodes, List<HeldJob> jobs, Set<UUID> moved, int limit) {
        Map<UUID, Node> byId = new HashMap<>();
        nodes.forEach(node -> byId.put(node.id(), node));
        Map<UUID, Integer> free = new HashMap<>();
        nodes.forEach(node -> free.put(node.id(), node.slots()));
        List<HeldJob> counted = jobs.stream().filter(job -> byId.containsKey(job.nodeId())).toList();
        counted.forEach(job -> free.merge(job.nodeId(), -1, Integer::sum));

        List<Move> moves = new ArrayList<>();
        boolean settled = true;
        Set<String> pools = new TreeSet<>();
        nodes.forEach(node -> pools.addAll(node.pools()));
        for (String pool : pools) {
            List<Node> serving = nodes.stream().filter(node -> node.pools().contains(pool)).toList();
            List<HeldJob> ofPool = counted.stream().filter(job -> job.pool().equals(pool)
                    && serving.contains(byId.get(job.nodeId()))).toList();
            if (serving.size() < 2 || ofPool.isEmpty()) {
                continue;
            }
            settled &= new PoolPlan(serving, ofPool, moved, free).plan(limit - moves.size(), moves);
        }
        return new Plan(moves, settled);
    }

    /** The planning of one pool, its counts changing with each move it plans. */
    private static final class PoolPlan {
        private final List<Node> nodes;
        private final Map<UUID, Double> share = new HashMap<>();
        private final Map<UUID, Integer> count = new HashMap<>();
        /** Per node, the jobs of the pool that may move, in id order so that a plan is the same every time. */
        private final Map<UUID, List<HeldJob>> candidates = new HashMap<>();
        private final Map<UUID, Integer> free;

        PoolPlan(List<Node> nodes, List<HeldJob> jobs, Set<UUID> moved, Map<UUID, Integer> free) {
            this.nodes = nodes;
            this.free = free;
            long slots = nodes.stream().mapToLong(Node::slots).sum();
            for (Node node : nodes) {
                share.put(node.id(), slots == 0 ? 0 : (double) jobs.size() * node.slots() / slots);
                count.put(node.id(), 0);
                candidates.put(node.id(), new ArrayList<>());
            }
            for (HeldJob job : jobs) {
                count.merge(job.nodeId(), 1, Integer::sum);
                if (job.movable() && !job.sticky() && !moved.contains(job.id())) {
                    candidates.get(job.nodeId()).add(job);
                }
            }
            candidates.values().forEach(list -> list.sort(Comparator.comparing(HeldJob::id)));
        }

        /**
         * Adds up to {@code limit} moves to {@code moves}; returns false when the limit stopped a move that was
         * wanted.
         */
        boolean plan(int limit, List<Move> moves) {
            while (true) {
                Move next = next();
                if (next == null) {
                    return true;
                }
                if (limit <= 0) {
                    return false;
                }
                moves.add(next);
                limit--;
                count.merge(next.from(), -1, Integer::sum);
                count.merge(next.to(), 1, Integer::sum);
                free.merge(next.from(), 1, Integer::sum);
                free.merge(next.to(), -1, Integer::sum);
                candidates.get(next.from()).removeIf(job -> job.id().equals(next.jobId()));
            }
        }

        /** The move that evens the pool most, or null when every node is within one job of its share. */
        private Move next() {
            if (nodes.stream().allMatch(node -> Math.abs(excess(node)) <= 1)) {
                return null;
            }
            Comparator<Node> byExcess = Comparator.comparingDouble(this::excess);
            List<Node> over = nodes.stream().sorted(byExcess.reversed().thenComparing(Node::id)).toList();
            List<Node> under = nodes.stream().sorted(byExcess.thenComparing(Node::id)).toList();
            for (Node from : over) {
                for (Node to : under) {
                    if (excess(from) - excess(to) <= 1) {
                        break; // the later ones are even nearer to it
                    }
                    if (free.get(to.id()) <= 0) {
                        continue;
                    }
                    for (HeldJob job : candidates.get(from.id())) {
                        if (!job.exec() || to.exec()) {
                            return new Move(job.id(), job.pool(), from.id(), to.id());
                        }
                    }
                }
            }
            return null;
        }

        /** How many jobs of the pool the node holds beyond its share (below 0: short of it). */
        private double excess(Node node) {
            return count.get(node.id()) - share.get(node.id());
        }
    }
}
