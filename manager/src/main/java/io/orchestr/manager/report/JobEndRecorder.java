package io.orchestr.manager.report;

import io.orchestr.manager.store.Store;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.wire.ToManager;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;

/** Records that a job ended for good on its node, if that node still runs it under the grant it names. */
@ApplicationScoped
public class JobEndRecorder {
    private static final Logger LOG = Logger.getLogger(JobEndRecorder.class);

    private final Store store;
    private final Clock clock;

    JobEndRecorder(Store store, Clock clock) {
        this.store = store;
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
        if (store.endRun(ended, status, clock.instant())) {
            LOG.infof("Job %s ended on node %s under epoch %d: it is %s now%s", ended.jobId(), ended.nodeId(),
                    ended.epoch(), status, ended.error() == null ? "" : " (last error: " + ended.error() + ")");
        } else {
            LOG.debugf("Ignoring the end of job %s on node %s under epoch %d: the job has a newer grant or had"
                    + " ended already", ended.jobId(), ended.nodeId(), ended.epoch());
        }
    }
}
