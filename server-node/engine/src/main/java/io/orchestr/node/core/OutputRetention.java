package io.orchestr.node.core;

/**
 * How much of ended runs' output a node keeps on disk: the files of at most {@code runs} runs and {@code bytes} bytes
 * in all, the least recently written removed first whenever a run creates its file. A single run's file stops
 * growing at {@link #runBytes()}, so the folder holds at most {@code bytes} plus that much per running job.
 */
public record OutputRetention(int runs, long bytes) {
    /** A run's output stops at this share of {@code bytes}: later writes of the run are dropped. */
    static final int RUN_SHARE = 8;

    public OutputRetention {
        if (runs < 1) {
            throw new IllegalArgumentException("the output of at least one run must be kept, got " + runs);
        }
        if (bytes < RUN_SHARE) {
            throw new IllegalArgumentException("the output kept must be at least " + RUN_SHARE + " bytes, got "
                    + bytes);
        }
    }

    /** The most output one run's file holds. */
    public long runBytes() {
        return bytes / RUN_SHARE;
    }
}
