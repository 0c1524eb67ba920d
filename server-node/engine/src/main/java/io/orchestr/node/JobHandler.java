package io.orchestr.node;

/**
 * The code that runs one job. A job is meant to run until it is cancelled, so a typical handler loops until
 * {@link JobContext#isCancelled()}.
 *
 * <p>Threading: each run gets a virtual thread of its own; one handler instance serves every job of its type, so
 * keep per-job state in local variables. Returning ends the job ({@code Completed}, unless its restart mode is
 * {@code always}); throwing lets the node's {@link RestartPolicy} decide whether to run it again. When the node
 * stops a job (cancel, hand-back, shutdown, lost broker connection) it first sets {@link JobContext#isCancelled()}
 * and later, if the handler has not returned, interrupts its thread.
 */
@FunctionalInterface
public interface JobHandler {
    void run(JobContext ctx) throws Exception;
}
