package io.orchestr.node;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The output of one run: bytes a handler (or the processes it starts) writes for people to read, kept in a file on
 * the node and served by {@code GET /api/jobs/{id}/output} from any manager. Not a log of the node's own: the node
 * logs where a run's output goes, once, at the run's first write.
 *
 * <p>Threading: thread-safe; writes from several threads land whole, in the order they took the file's lock. Never
 * throws: when the file cannot be written (disk full, permissions) the failure is logged once and every later write
 * of the run is dropped, so that a handler's output can never fail its job. Writes after the run's handler returned
 * are dropped too: a handler that pipes a process into it should wait for the pipe to drain before it returns.
 */
public interface JobOutput {
    /** Appends {@code length} bytes of {@code bytes} from {@code offset} to the run's output. */
    void write(byte[] bytes, int offset, int length);

    /** Appends {@code text}, encoded as UTF-8; add the line break yourself. */
    default void print(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(bytes, 0, bytes.length);
    }

    /**
     * Where the run's output is. The file exists once the run wrote something; a restart under the same grant (the
     * same epoch) appends to the same file.
     */
    Path file();
}
