package io.orchestr.manager.job;

import io.orchestr.manager.NoOutputException;
import io.orchestr.manager.OutputUnavailableException;
import io.orchestr.manager.UnknownIdException;
import io.orchestr.manager.broker.NodeOutputs;
import io.orchestr.manager.store.JobEntity;
import io.orchestr.manager.store.JobRepository;
import io.orchestr.manager.store.ServerEntity;
import io.orchestr.manager.store.ServerRepository;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.Limits;
import io.orchestr.shared.NodeStatus;
import io.orchestr.shared.wire.OutputChunk;
import io.orchestr.shared.wire.ToNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;

/**
 * A job's output as {@code GET /api/jobs/{id}/output} shows it: that of its current run, or of its last one once no
 * run goes, read from the node incarnation of the job's latest grant ({@code run_node_id}) through {@link
 * NodeOutputs}. Following polls that node for bytes past those sent until the run is over.
 */
@ApplicationScoped
public class JobOutputs {
    /** How often a follower asks the node for new bytes when the last answer had none. */
    static final Duration FOLLOW_POLL = Duration.ofMillis(300);
    private static final Logger LOG = Logger.getLogger(JobOutputs.class);

    /** The run whose output is shown: the job's latest grant, and the node it went to. */
    public record Run(UUID jobId, long epoch, UUID nodeId, String nodeName) {
        String describe() {
            return "run " + epoch + " of job " + jobId;
        }
    }

    private final JobRepository jobs;
    private final ServerRepository servers;
    private final NodeOutputs outputs;

    JobOutputs(JobRepository jobs, ServerRepository servers, NodeOutputs outputs) {
        this.jobs = jobs;
        this.servers = servers;
        this.outputs = outputs;
    }

    /**
     * The job's current or last run.
     *
     * @throws UnknownIdException         when no job has this id
     * @throws NoOutputException          when it has not run yet
     * @throws OutputUnavailableException ({@code GONE}) when the node of that run is gone
     */
    @Transactional
    public Run run(UUID jobId) {
        JobEntity job = jobs.findByIdOptional(jobId).orElseThrow(() -> new UnknownIdException("job",
                jobId.toString()));
        if (job.epoch == 0 || job.runNodeId == null) {
            throw new NoOutputException("job " + jobId + " has no run yet: its output appears once a node runs it");
        }
        ServerEntity server = servers.findById(job.runNodeId);
        String name = server == null ? "?" : server.name;
        if (server == null || server.deleted || server.status == NodeStatus.Lost
                || server.status == NodeStatus.Stopped) {
            throw gone(new Run(jobId, job.epoch, job.runNodeId, name));
        }
        return new Run(jobId, job.epoch, job.runNodeId, name);
    }

    /**
     * The last {@code tail} bytes of the run's output, from its first whole character.
     *
     * @throws OutputUnavailableException when the node is gone, did not answer, or the broker failed
     */
    public byte[] tail(Run run, int tail) {
        OutputChunk chunk = read(run, null, tail);
        return fromWholeCharacter(chunk);
    }

    /**
     * Writes the last {@code tail} bytes of the run's output to {@code to}, then what the run writes next, as it
     * comes, until the run is over (its node ended it and the job's grant is no longer that run's). Returns when the
     * client went away too; a node that is gone or stops answering ends the stream with a line saying so. Blocks the
     * calling (worker) thread for as long as it follows.
     */
    public void follow(Run run, int tail, OutputStream to) {
        try {
            OutputChunk chunk = read(run, null, tail);
            to.write(fromWholeCharacter(chunk));
            to.flush();
            long offset = chunk.offset() + chunk.bytes().length;
            while (true) {
                chunk = read(run, offset, Limits.OUTPUT_CHUNK);
                to.write(chunk.bytes());
                to.flush();
                offset = chunk.offset() + chunk.bytes().length;
                if (chunk.bytes().length > 0) {
                    continue;
                }
                if (chunk.ended() && isOver(run)) {
                    return;
                }
                Thread.sleep(FOLLOW_POLL.toMillis());
            }
        } catch (OutputUnavailableException e) {
            LOG.infof("Stopped following the output of %s on node %s: %s", run.describe(), run.nodeId(),
                    e.getMessage());
            try {
                to.write(("\n[orchestr: " + e.getMessage() + "]\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException gone) {
                LOG.debugf("The follower of %s went away too", run.describe());
            }
        } catch (IOException e) {
            LOG.debugf("The follower of the output of %s went away: %s", run.describe(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * True once no run writes under the run's epoch any more: the job ended, was released, or runs elsewhere. In a
     * transaction of its own: a follower's stream is written after the request's own scope.
     */
    private boolean isOver(Run run) {
        return QuarkusTransaction.requiringNew().call(() -> {
            JobEntity job = jobs.findById(run.jobId());
            return job == null || job.epoch != run.epoch() || !JobStatus.HELD.contains(job.status);
        });
    }

    private OutputChunk read(Run run, Long offset, int max) {
        try {
            return outputs.read(run.nodeId(), new ToNode.Output(run.jobId(), run.epoch(), offset, max));
        } catch (OutputUnavailableException e) {
            throw e.status() == OutputUnavailableException.GONE ? gone(run) : e;
        }
    }

    private static OutputUnavailableException gone(Run run) {
        return new OutputUnavailableException(OutputUnavailableException.GONE, "the output of run " + run.epoch()
                + " of job " + run.jobId() + " was on node " + run.nodeName() + " (" + run.nodeId()
                + "), which is gone");
    }

    /** The chunk's bytes without the tail of a character cut by the chunk's start (UTF-8 continuation bytes). */
    private static byte[] fromWholeCharacter(OutputChunk chunk) {
        byte[] bytes = chunk.bytes();
        int start = 0;
        while (chunk.offset() > 0 && start < Math.min(3, bytes.length) && (bytes[start] & 0xC0) == 0x80) {
            start++;
        }
        return start == 0 ? bytes : Arrays.copyOfRange(bytes, start, bytes.length);
    }
}
