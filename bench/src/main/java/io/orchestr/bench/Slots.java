package io.orchestr.bench;

/** How many slots each node gets so that a cluster can run all of a scenario's jobs. */
final class Slots {
    /** The broker's largest prefetch (an unsigned short), which is what a node's slots become. */
    static final int MAX = 65_535;

    private Slots() {
    }

    /**
     * An even share of {@code jobs} plus a quarter: the broker hands messages round-robin but not exactly evenly,
     * and a node that is full gets no more.
     */
    static int perNode(int jobs, int nodes) {
        long share = (jobs + nodes - 1) / nodes;
        return (int) Math.min(MAX, share + share / 4 + 1);
    }
}
