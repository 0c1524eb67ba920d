package io.orchestr.shared.wire;

import java.util.Objects;
import java.util.UUID;

/**
 * A node's answer to {@link ToNode.Output}: bytes of one run's output file. Published to the request's {@code
 * reply_to} with its {@code correlation_id}; {@code bytes} travels as base64 in the JSON.
 *
 * @param epoch  the run's epoch (the newest run's when the request named none); null when none was found
 * @param found  false when the node has no output of that run (never written, or removed by its retention) and no
 *               such run is going on it
 * @param size   how long the run's output is now, in bytes
 * @param offset where {@code bytes} start in it
 * @param bytes  the bytes, at most the request's {@code max}; empty at the end of the output
 * @param ended  true when no run on this node writes to it any more: what {@code size} says is all there is, unless
 *               a restart under the same epoch appends
 */
public record OutputChunk(UUID jobId, Long epoch, boolean found, long size, long offset, byte[] bytes,
                          boolean ended) {
    public OutputChunk {
        Objects.requireNonNull(jobId, "jobId");
        bytes = bytes == null ? new byte[0] : bytes;
    }

    /** The answer for a run the node has no output of. */
    public static OutputChunk notFound(UUID jobId, Long epoch) {
        return new OutputChunk(jobId, epoch, false, 0, 0, new byte[0], true);
    }
}
