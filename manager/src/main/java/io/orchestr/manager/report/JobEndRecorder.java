package io.orchestr.manager.report;

import io.orchestr.manager.history.JobEvent;
import io.orchestr.manager.history.JobHistory;
import io.orchestr.manager.job.Publication;
import io.orchestr.manager.store.ConcurrencyKeyRows;
import io.orchestr.manager.store.Store;
import io.orchestr.shared.JobEventKind;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.wire.ToManager;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Records that a job ended for good on its node, if that node still runs it under the grant it names; a job of a
 * concurrency key frees its place, and the key's next job is admitted once that is committed.
 */
@ApplicationScoped
public class JobEndRecorder {
    private static final Logger LOG = Logger.getLogger(JobEndRecorder.class);

    private final Store store;
    private final ConcurrencyKeyRows keys;
    private final Publication publication;
    private final JobHistory history;
    private final Clock clock;

    JobEndRecorder(Store store, ConcurrencyKeyRows keys, Publication publication, JobHistory history, Clock clock) {
        this.store = store;
        this.keys = keys;
        this.publication = publication;
        this.history = history;
        this.clock = clock;
    }

    public void record(ToManager.JobEnded ended) {
        QuarkusTransaction.requiringNew().call(() -> recordEnd(ended))
                .ifPresent(key -> publication.admitNext(List.of(key)));
    }

    /** Records the end; returns the concurrency key whose place the job freed, if it had one. */
    private Optional<String> recordEnd(ToManager.JobEnded ended) {
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
            return keys.keyOf(ended.jobId());
        }
        LOG.debugf("Ignoring the end of job %s on node %s under epoch %d: the job has a newer grant or had ended"
                + " already", ended.jobId(), ended.nodeId(), ended.epoch());
        return Optional.empty();
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
