package io.orchestr.manager.report;

import io.orchestr.manager.broker.ControlMessage;
import io.orchestr.manager.history.JobHistory;
import io.orchestr.manager.store.JobState;
import io.orchestr.manager.store.Store;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.wire.ToManager;
import io.orchestr.shared.wire.ToManager.SnapshotEntry;
import io.orchestr.shared.wire.ToManager.HeldState;
import io.orchestr.shared.wire.ToNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Rebuilds the manager's view from a node's snapshot, in one transaction: the server row, and the heartbeat,
 * restarts and last error of every job the snapshot lists that the node runs under its current grant (every job
 * it holds in a full report, those that changed in a partial one). Listed jobs the node runs under a stale grant
 * get a {@code stop}; jobs of the node cancelled, paused, restarted or moved meanwhile get their {@code cancel}
 * or {@code release} again (it may have been lost): the listed ones by their entry, the others, in a partial
 * report, by a look at the node's {@code Deleting} and releasing jobs. The first entry that shows a run running
 * under its grant's epoch is the run's {@code started} in the job's history. The node's drain ask goes out again
 * while the node reports an older one than the managers want.
 */
@ApplicationScoped
public class SnapshotRecorder {
    private static final Logger LOG = Logger.getLogger(SnapshotRecorder.class);

    private final Store store;
    private final JobHistory history;
    private final Clock clock;

    SnapshotRecorder(Store store, JobHistory history, Clock clock) {
        this.store = store;
        this.history = history;
        this.clock = clock;
    }

    /** Records {@code snapshot}; returns the messages to send to the node once committed. */
    @Transactional
    public List<ControlMessage> record(ToManager.Snapshot snapshot) {
        UUID node = snapshot.nodeId();
        store.recordSnapshot(snapshot);

        // a job still being claimed runs nothing yet: its claim decides
        List<SnapshotEntry> granted = snapshot.jobs().stream().filter(job -> job.state() != HeldState.CLAIMING)
                .toList();
        Map<UUID, JobState> states = store.jobStates(granted.stream().map(SnapshotEntry::jobId).toList()).stream()
                .collect(Collectors.toMap(JobState::id, Function.identity()));
        List<SnapshotEntry> current = new ArrayList<>();
        List<ControlMessage> replies = new ArrayList<>();
        Map<UUID, Long> runningNow = new HashMap<>();
        for (SnapshotEntry held : granted) {
            JobState job = states.get(held.jobId());
            if (job == null) {
                continue;
            }
            boolean running = held.state() == HeldState.RUNNING;
            if (node.equals(job.ownerId()) && job.epoch() == held.epoch()) {
                current.add(held);
                if (running && JobStatus.HELD.contains(job.status())) {
                    runningNow.put(job.id(), job.epoch());
                }
                if (running && (job.status() == JobStatus.Deleting || job.status() == JobStatus.Deleted)) {
                    replies.add(ControlMessage.toNode(node, new ToNode.Cancel(job.id())));
                } else if (running && job.isReleasing()) {
                    replies.add(ControlMessage.toNode(node, release(job.id(), job.epoch())));
                }
            } else if (running && (job.epoch() > held.epoch() || !node.equals(job.ownerId()))) {
                LOG.infof("Node %s runs job %s under stale epoch %d (node %s holds epoch %d): telling it to stop",
                        node, job.id(), held.epoch(), job.ownerId(), job.epoch());
                replies.add(ControlMessage.toNode(node, new ToNode.Stop(job.id(), held.epoch(),
                        "job was granted to node " + job.ownerId() + " under epoch " + job.epoch())));
            }
        }
        store.recordRuns(node, current);
        if (!runningNow.isEmpty()) {
            history.recordStarted(node, runningNow, clock.instant());
        }
        drainAskedAgain(snapshot).ifPresent(replies::add);
        if (!snapshot.full()) {
            // a partial report lists only jobs that changed: the cancels of the others go out again from here
            Set<UUID> listed = granted.stream().map(SnapshotEntry::jobId).collect(Collectors.toSet());
            store.cancellingJobsOf(node).stream().filter(id -> !listed.contains(id))
                    .forEach(id -> replies.add(ControlMessage.toNode(node, new ToNode.Cancel(id))));
            store.releasingJobsOf(node).forEach((id, epoch) -> {
                if (!listed.contains(id)) {
                    replies.add(ControlMessage.toNode(node, release(id, epoch)));
                }
            });
        }
        return replies;
    }

    /**
     * The managers' drain ask again, while the node reports an older one: the first may have been lost, or the
     * node reconnected before it arrived. Only to nodes that report a drain, which understand the ask.
     */
    private Optional<ControlMessage> drainAskedAgain(ToManager.Snapshot snapshot) {
        ToManager.NodeDrain reported = snapshot.drain();
        if (reported == null) {
            return Optional.empty();
        }
        return store.wantedDrain(snapshot.nodeId()).filter(wanted -> wanted.seq() > reported.seq())
                .map(wanted -> ControlMessage.toNode(snapshot.nodeId(), new ToNode.Drain(wanted.drain(),
                        wanted.seq())));
    }

    /** The release asked of a job's owner again: the first may have been lost, or sent before a manager restart. */
    private static ToNode.Release release(UUID jobId, long epoch) {
        return new ToNode.Release(jobId, epoch, "asked again: the managers wait for the job's release");
    }
}
