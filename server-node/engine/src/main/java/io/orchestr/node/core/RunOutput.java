package io.orchestr.node.core;

import io.orchestr.node.JobOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The {@link JobOutput} of one run, appending to the file {@link OutputFiles} gave it. The file is opened at the
 * first write (a run that writes nothing leaves no file and no log line) and closed when the run ends. Thread-safe:
 * writes take the object's lock, so that they land whole and a failure is logged once.
 */
public final class RunOutput implements JobOutput {
    private static final Logger LOG = LoggerFactory.getLogger(RunOutput.class);

    /** Opens a run's file to append to. */
    interface Opener {
        FileChannel open(Path file) throws IOException;
    }

    private final Path file;
    private final String run;
    private final long maxBytes;
    private final Opener opener;
    private final Runnable onClose;
    /** Guarded by this, as are the fields below. */
    private FileChannel channel;
    private long size;
    /** Set once writes are dropped: the run ended, a write failed, or the file is full. */
    private boolean dropping;
    private boolean closed;

    RunOutput(Path file, String run, long maxBytes, Opener opener, Runnable onClose) {
        this.file = file;
        this.run = run;
        this.maxBytes = maxBytes;
        this.opener = opener;
        this.onClose = onClose;
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (dropping || length == 0) {
            return;
        }
        try {
            if (channel == null) {
                channel = opener.open(file);
                size = channel.size();
                LOG.info("The output of {} goes to {}", run, file);
            }
            int fits = (int) Math.min(length, maxBytes - size);
            append(ByteBuffer.wrap(bytes, offset, Math.max(fits, 0)));
            if (fits < length) {
                dropping = true;
                append(ByteBuffer.wrap(("\n[orchestr: output cut at " + maxBytes + " bytes]\n")
                        .getBytes(StandardCharsets.UTF_8)));
                LOG.warn("The output of {} reached {} bytes in {}: the rest of the run's output is dropped", run,
                        maxBytes, file);
            }
        } catch (IOException | RuntimeException e) {
            dropping = true;
            LOG.warn("Could not write the output of {} to {}: {}. The rest of the run's output is dropped", run,
                    file, e.toString());
        }
    }

    private void append(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            size += channel.write(buffer);
        }
    }

    @Override
    public Path file() {
        return file;
    }

    /** The run's handler returned: later writes are dropped, and the file counts as ended. Idempotent. */
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        dropping = true;
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("Closing the output file {} failed: {}", file, e.toString());
            }
            channel = null;
        }
        onClose.run();
    }
}
