package io.orchestr.manager.report;

import io.orchestr.manager.history.JobEvent;
import io.orchestr.manager.history.JobHistory;
import io.orchestr.manager.store.Store;
import io.orchestr.shared.JobEventKind;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.wire.ToManager;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;

/** Records that a job ended for good on its node, if that node still runs it under the grant it names. */
@ApplicationScoped
public class JobEndRecorder {
    private static final Logger LOG = Logger.getLogger(JobEndRecorder.class);

    private final Store store;
    private final JobHistory history;
    private final Clock clock;

    JobEndRecorder(Store store, JobHistory history, Clock clock) {
        this.store = store;
        this.history = history;
        this.clock = clock;
    }

    @Transactional
    public void record(ToManager.JobEnded ended) {
        JobStatus status = switch (ended.outcome()) {
            case COMPLETED -> JobStatus.Completed;
            case FAILED -> JobStatus.Failed;
            case CANCELLED -> JobStatus.Deleted;
            case RELEASED -> throw new IllegalArgumentException("a release is recorded by ReleaseRecorder");
        };
        Instant now = clock.instant();
        if (store.endRun(ended, status, now)) {
            history.record(endEvent(ended, status, now));
            LOG.infof("Job %s ended on node %s under epoch %d: it is %s now%s", ended.jobId(), ended.nodeId(),
                    ended.epoch(), status, ended.error() == null ? "" : " (last error: " + ended.error() + ")");
        } else {
            LOG.debugf("Ignoring the end of job %s on node %s under epoch %d: the job has a newer grant or had"
                    + " ended already", ended.jobId(), ended.nodeId(), ended.epoch());
        }
    }

    /** The end in the job's history: its node's word, with the last error or how the cancel ended. */
    private static JobEvent endEvent(ToManager.JobEnded ended, JobStatus status, Instant now) {
        JobEventKind kind = switch (status) {
            case Completed -> JobEventKind.COMPLETED;
            case Failed -> JobEventKind.FAILED;
            default -> JobEventKind.DELETED;
        };
        String detail = kind == JobEventKind.DELETED ? "its node stopped it after the cancel" : ended.error();
        return JobEvent.ended(kind, ended.jobId(), now, ended.nodeId(), ended.epoch(), detail);
    }
}
