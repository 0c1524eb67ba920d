package io.orchestr.node.core;

import io.orchestr.shared.wire.OutputChunk;
import io.orchestr.shared.wire.ToNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Answers the managers' {@link ToNode.Output} requests on a thread of its own: reading a file must never hold up
 * the engine thread, nor the broker client's dispatch thread. Requests beyond {@value #QUEUED} waiting are dropped
 * (the manager asking times out and says so). Thread-safe; shared by the node's incarnations.
 */
final class OutputServer {
    private static final Logger LOG = LoggerFactory.getLogger(OutputServer.class);
    private static final int QUEUED = 100;

    private final OutputFiles files;
    private final ThreadPoolExecutor executor;

    OutputServer(String nodeName, OutputFiles files) {
        this.files = files;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUED),
                task -> {
                    Thread thread = new Thread(task, "orchestr-output-" + nodeName);
                    thread.setDaemon(true);
                    return thread;
                });
    }

    OutputFiles files() {
        return files;
    }

    /** Reads what {@code request} asks for and hands the answer to {@code reply}, both on the output thread. */
    void serve(ToNode.Output request, Consumer<OutputChunk> reply) {
        try {
            executor.execute(() -> {
                try {
                    reply.accept(files.read(request.jobId(), request.epoch(), request.offset(), request.max()));
                } catch (RuntimeException e) {
                    LOG.warn("Could not answer a request for the output of job {}: {}", request.jobId(), e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("Dropped a request for the output of job {}: {} requests wait already, or the node closes",
                    request.jobId(), QUEUED);
        }
    }

    void shutdown() {
        executor.shutdownNow();
    }
}
