package io.orchestr.manager.report;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.orchestr.manager.broker.ControlMessage;
import io.orchestr.manager.history.JobEvent;
import io.orchestr.manager.history.JobHistory;
import io.orchestr.manager.store.JobState;
import io.orchestr.manager.store.Store;
import io.orchestr.shared.Limits;
import io.orchestr.shared.json.WireCodec;
import io.orchestr.shared.wire.ToManager;
import io.orchestr.shared.wire.ToNode;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Stores a run's checkpoint as its job's last one, fenced by the grant it names, and answers the node: the reply
 * goes out only after the transaction committed (the caller sends it), so "stored" always means durable.
 */
@ApplicationScoped
@Startup // its meters show from the start, at 0, not from the first event
public class CheckpointRecorder {
    private static final Logger LOG = Logger.getLogger(CheckpointRecorder.class);
    private static final WireCodec JSON = new WireCodec();

    private final Store store;
    private final JobHistory history;
    private final Clock clock;
    private final Counter stored;
    private final Counter refused;

    CheckpointRecorder(Store store, JobHistory history, Clock clock, MeterRegistry registry) {
        this.store = store;
        this.history = history;
        this.clock = clock;
        this.stored = registry.counter("orchestr.checkpoints", "result", "stored");
        this.refused = registry.counter("orchestr.checkpoints", "result", "refused");
    }

    /** @return the reply to the node that sent it */
    @Transactional
    public List<ControlMessage> record(ToManager.Checkpoint checkpoint) {
        int size = JSON.encodedSize(checkpoint.state());
        String refusal = null;
        Instant now = clock.instant();
        if (size > Limits.CHECKPOINT) {
            // the node checks the size before sending; this guards against one that does not
            refusal = "the checkpoint is " + size + " bytes of JSON, more than the limit of " + Limits.CHECKPOINT;
        } else if (!store.storeCheckpoint(checkpoint, now)) {
            refusal = whyRefused(checkpoint);
        } else {
            history.record(JobEvent.checkpoint(checkpoint.jobId(), now, checkpoint.nodeId(), checkpoint.epoch(),
                    size));
        }
        (refusal == null ? stored : refused).increment();
        if (refusal == null) {
            LOG.debugf("Stored checkpoint %d of job %s from node %s under epoch %d", checkpoint.checkpoint(),
                    checkpoint.jobId(), checkpoint.nodeId(), checkpoint.epoch());
        } else {
            LOG.infof("Refused checkpoint %d of job %s from node %s under epoch %d: %s", checkpoint.checkpoint(),
                    checkpoint.jobId(), checkpoint.nodeId(), checkpoint.epoch(), refusal);
        }
        return List.of(ControlMessage.toNode(checkpoint.nodeId(), new ToNode.CheckpointReply(checkpoint.jobId(),
                checkpoint.checkpoint(), refusal == null, refusal)));
    }

    /** Why the guarded update changed no row, read afterwards: only refusals pay for the extra read. */
    private String whyRefused(ToManager.Checkpoint checkpoint) {
        JobState job = store.lockJobStates(List.of(checkpoint.jobId())).get(checkpoint.jobId());
        if (job == null) {
            return "unknown job";
        }
        if (!checkpoint.nodeId().equals(job.ownerId()) || job.epoch() != checkpoint.epoch()) {
            return "stale run: the job is granted to node " + job.ownerId() + " under epoch " + job.epoch()
                    + ", not to node " + checkpoint.nodeId() + " under epoch " + checkpoint.epoch();
        }
        if (job.status().isFinal()) {
            return "the job is " + job.status();
        }
        return "a later checkpoint of this run is stored already";
    }
}
