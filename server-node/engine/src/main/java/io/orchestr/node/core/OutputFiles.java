package io.orchestr.node.core;

import io.orchestr.shared.Limits;
import io.orchestr.shared.wire.OutputChunk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The output files of a node's runs, one per job and epoch: {@code <dir>/<jobId>/<epoch>.log}, appended to by
 * every run under that epoch (a restart under the same grant continues the file). It keeps the files of ended runs
 * within {@link OutputRetention}, oldest removed first, and answers reads of any run it has a file of.
 * Thread-safe: runs write on their own threads, reads come from the output thread ({@link OutputServer}).
 */
public final class OutputFiles {
    private static final Logger LOG = LoggerFactory.getLogger(OutputFiles.class);
    private static final String SUFFIX = ".log";

    private final Path dir;
    private final OutputRetention retention;
    /** How many runs write to each file now: a file with none is ended, and the retention may remove it. */
    private final Map<Path, AtomicInteger> writers = new ConcurrentHashMap<>();

    public OutputFiles(Path dir, OutputRetention retention) {
        this.dir = dir;
        this.retention = retention;
    }

    /** Where the output of the run of {@code jobId} under {@code epoch} goes. */
    public Path file(UUID jobId, long epoch) {
        return dir.resolve(jobId.toString()).resolve(epoch + SUFFIX);
    }

    /**
     * The output of a run starting now, for its context; {@link RunOutput#close()} once its handler returned.
     *
     * @param run names the run in the node's log
     */
    public RunOutput open(UUID jobId, long epoch, String run) {
        Path file = file(jobId, epoch);
        writers.computeIfAbsent(file, f -> new AtomicInteger()).incrementAndGet();
        return new RunOutput(file, run, retention.runBytes(), this::openForAppend, () -> released(file));
    }

    private void released(Path file) {
        writers.computeIfPresent(file, (f, count) -> count.decrementAndGet() == 0 ? null : count);
    }

    /**
     * Opens a run's file to append to, creating it (and its job's folder) if need be; a new file makes the retention
     * remove old ones. Under the lock of {@link #prune}, which could otherwise remove the folder in between.
     */
    private synchronized FileChannel openForAppend(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        boolean created = Files.notExists(file);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        if (created) {
            try {
                prune();
            } catch (IOException | RuntimeException e) {
                LOG.warn("Could not remove old run output files under {}: {}. They stay until the next run's output",
                        dir, e.toString());
            }
        }
        return channel;
    }

    /**
     * Removes the files of ended runs beyond the retention, the least recently written first. The files of runs
     * that write now are never removed, nor counted.
     */
    synchronized void prune() throws IOException {
        record Kept(Path file, FileTime modified, long size) {
        }
        List<Kept> ended = new ArrayList<>();
        try (DirectoryStream<Path> jobs = Files.newDirectoryStream(dir, Files::isDirectory)) {
            for (Path job : jobs) {
                try (DirectoryStream<Path> runs = Files.newDirectoryStream(job, "*" + SUFFIX)) {
                    for (Path run : runs) {
                        if (!writers.containsKey(run)) {
                            ended.add(new Kept(run, Files.getLastModifiedTime(run), Files.size(run)));
                        }
                    }
                } catch (NoSuchFileException e) {
                    // removed meanwhile by another node sharing the directory
                }
            }
        }
        ended.sort(Comparator.comparing(Kept::modified).reversed());
        long bytes = 0;
        int removed = 0;
        for (int i = 0; i < ended.size(); i++) {
            Kept kept = ended.get(i);
            bytes += kept.size();
            if (i >= retention.runs() || bytes > retention.bytes()) {
                Files.deleteIfExists(kept.file());
                removed++;
                removeIfEmpty(kept.file().getParent());
            }
        }
        if (removed > 0) {
            LOG.debug("Removed the output files of {} old runs under {} (kept {} runs, {} bytes at most)", removed,
                    dir, retention.runs(), retention.bytes());
        }
    }

    private static void removeIfEmpty(Path jobDir) throws IOException {
        try (DirectoryStream<Path> left = Files.newDirectoryStream(jobDir)) {
            if (left.iterator().hasNext()) {
                return;
            }
        }
        try {
            Files.deleteIfExists(jobDir);
        } catch (IOException e) {
            // a run of the job created its file meanwhile
        }
    }

    /**
     * Reads a run's output as {@link io.orchestr.shared.wire.ToNode.Output} asks: up to {@code max} bytes (at most
     * {@link Limits#OUTPUT_CHUNK}) from {@code offset}, or the last {@code max} bytes when {@code offset} is null.
     *
     * @param epoch null for the newest run of the job with a file here
     */
    public OutputChunk read(UUID jobId, Long epoch, Long offset, int max) {
        Optional<Long> run = epoch != null ? Optional.of(epoch) : newestEpoch(jobId);
        if (run.isEmpty()) {
            return OutputChunk.notFound(jobId, null);
        }
        Path file = file(jobId, run.get());
        boolean ended = !writers.containsKey(file);
        int wanted = Math.clamp(max, 0, Limits.OUTPUT_CHUNK);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            long from = offset == null ? Math.max(0, size - wanted) : Math.clamp(offset, 0, size);
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(wanted, size - from));
            while (buffer.hasRemaining() && channel.read(buffer, from + buffer.position()) >= 0) {
                // read until full: a read may return fewer bytes
            }
            byte[] bytes = new byte[buffer.position()];
            buffer.flip().get(bytes);
            return new OutputChunk(jobId, run.get(), true, size, from, bytes, ended);
        } catch (NoSuchFileException e) {
            // a run that has not written yet has no file, and is there all the same
            return ended ? OutputChunk.notFound(jobId, run.get())
                    : new OutputChunk(jobId, run.get(), true, 0, 0, new byte[0], false);
        } catch (IOException e) {
            LOG.warn("Could not read the output of job {} under epoch {} from {}: {}", jobId, run.get(), file,
                    e.toString());
            return OutputChunk.notFound(jobId, run.get());
        }
    }

    /** The newest epoch of the job with a file here, or written to by a run now. */
    private Optional<Long> newestEpoch(UUID jobId) {
        Path jobDir = dir.resolve(jobId.toString());
        long newest = -1;
        for (Path file : writers.keySet()) {
            if (file.getParent().equals(jobDir)) {
                newest = Math.max(newest, epochOf(file));
            }
        }
        try (DirectoryStream<Path> runs = Files.newDirectoryStream(jobDir, "*" + SUFFIX)) {
            for (Path run : runs) {
                newest = Math.max(newest, epochOf(run));
            }
        } catch (IOException e) {
            // no file of the job
        }
        return newest < 0 ? Optional.empty() : Optional.of(newest);
    }

    private static long epochOf(Path file) {
        String name = file.getFileName().toString();
        try {
            return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
        } catch (NumberFormatException e) {
            return -1; // not a file of ours
        }
    }
}
