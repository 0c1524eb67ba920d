package io.orchestr.manager.quarantine;

import io.orchestr.manager.config.OrchestrConfig;
import io.orchestr.manager.history.JobEvent;
import io.orchestr.manager.store.NodeDeathRows;
import io.orchestr.shared.JobEventKind;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Counts the node deaths a job plausibly caused, and quarantines a job whose runs ended with their node's death
 * {@code orchestr.quarantine.deaths} times within {@code orchestr.quarantine.window}. A run's end by its node's
 * death counts against the job only when the node did not leave cleanly and the run was the only one the node was
 * granted within {@code orchestr.quarantine.died-within} before it was last heard of (its last snapshot): the node
 * died soon after it started this job, and this job alone. A node killed from outside dies with runs it was granted
 * long before, or with a batch of fresh ones after a failover: it counts against none of them, so random kills
 * quarantine nothing.
 */
@ApplicationScoped
public class CrashLoops {
    private static final Logger LOG = Logger.getLogger(CrashLoops.class);
    /** How many dead incarnations to remember; each dead node is judged once, however many jobs it held. */
    private static final int REMEMBERED = 10_000;

    private final NodeDeathRows rows;
    private final int deaths;
    private final Duration window;
    private final Duration diedWithin;
    /**
     * The job each dead incarnation's death counts against, or empty for none. Death is final (a node that comes
     * back is a new incarnation), and the grants of a dead node no longer change.
     */
    private final Map<UUID, Optional<UUID>> suspects = Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<UUID, Optional<UUID>> eldest) {
                    return size() > REMEMBERED;
                }
            });

    CrashLoops(NodeDeathRows rows, OrchestrConfig config) {
        this.rows = rows;
        this.deaths = config.quarantine().deaths();
        this.window = config.quarantine().window();
        this.diedWithin = config.quarantine().diedWithin();
    }

    /**
     * The run of {@code jobId} on {@code nodeId} ended with that node's death, found {@code now}; the caller holds the
     * job's row lock. Counts the death if the job plausibly caused it; when that makes {@code deaths} within the
     * window, the job is {@code Paused} as quarantined, and the event that says so is returned for the caller to
     * record after the run's end.
     */
    public Optional<JobEvent> runDied(UUID jobId, UUID nodeId, Instant now) {
        if (deaths <= 0 || !suspect(nodeId, now).filter(jobId::equals).isPresent()) {
            return Optional.empty();
        }
        Instant since = now.minus(window);
        List<Instant> counted = new ArrayList<>(rows.deaths(jobId).stream().filter(at -> at.isAfter(since)).toList());
        counted.add(now);
        List<Instant> kept = counted.subList(Math.max(0, counted.size() - deaths), counted.size());
        rows.setDeaths(jobId, kept);
        if (kept.size() < deaths) {
            LOG.infof("Job %s's run ended with the death of node %s, which it alone had started just before: %d of %d"
                    + " such deaths in %s before it is quarantined", jobId, nodeId, kept.size(), deaths,
                    Quarantine.words(window));
            return Optional.empty();
        }
        rows.quarantine(jobId, now);
        String cause = Quarantine.cause(kept.size(), window);
        LOG.warnf("Job %s is quarantined (Paused): %s, the last node %s; resume it (POST /api/jobs/%s/resume) to run"
                + " it again", jobId, cause, nodeId, jobId);
        return Optional.of(JobEvent.of(JobEventKind.QUARANTINED, jobId, now)
                .withDetail(cause + "; not handed to another node: resume it to run it again"));
    }

    /** The job whose run was the only one {@code nodeId} was granted just before it died; empty for none. */
    private Optional<UUID> suspect(UUID nodeId, Instant now) {
        Optional<UUID> known = suspects.get(nodeId);
        if (known != null) {
            return known;
        }
        Optional<NodeDeathRows.NodeEnd> end = rows.nodeEnd(nodeId);
        Optional<UUID> suspect;
        if (end.map(NodeDeathRows.NodeEnd::leftCleanly).orElse(false)) {
            suspect = Optional.empty();
        } else {
            // a node that never sent a snapshot was last heard of, at the latest, now
            Instant heard = end.map(NodeDeathRows.NodeEnd::lastHeartbeatAt).orElse(now);
            List<UUID> granted = rows.jobsGrantedSince(nodeId, heard.minus(diedWithin), 2);
            suspect = granted.size() == 1 ? Optional.of(granted.getFirst()) : Optional.empty();
        }
        suspects.put(nodeId, suspect);
        return suspect;
    }
}
