package io.orchestr.node.exec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.orchestr.client.OrchestratorException;
import io.orchestr.node.JobContext;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.json.WireCodec;
import io.orchestr.shared.work.RoleRun;
import io.orchestr.shared.work.WorkParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The {@link RoleBoard} of a job with roles, kept in the checkpoints of its role runs: each run stores the steps it
 * ended as its checkpoint ({@link Played}), so the manager holds them durably, and reads the other runs' checkpoints
 * through the manager ({@link JobContext#jobs()}): the job's own for its lead role, its children's for the others.
 * A run that starts again after a failover finds its role's steps in its last checkpoint and does not run them
 * twice. Thread-safe: the parallel steps of one run share it.
 */
final class CheckpointBoard implements RoleBoard {
    static final Duration FIRST_WAIT = Duration.ofMillis(50);
    static final Duration LONGEST_WAIT = Duration.ofMillis(500);
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointBoard.class);
    private static final WireCodec JSON = new WireCodec();

    /** A role run's checkpoint: the steps of its role that ended, in the order they ended. */
    record Played(List<Step> steps) {
    }

    private final JobContext ctx;
    private final RoleRun run;
    private final String leadRole;
    private final Map<String, Step> mine = new LinkedHashMap<>();

    /**
     * @param ctx the context of this role's run
     * @param run the role it plays, of which job
     */
    CheckpointBoard(JobContext ctx, RoleRun run) {
        this.ctx = ctx;
        this.run = run;
        this.leadRole = RoleRun.leadRole(WorkParser.parse(run.work()).roles());
        ctx.jobs(); // fails the run at once, saying why, on a node that has no client of the manager
        ctx.lastCheckpoint(Played.class).ifPresent(played -> played.steps().forEach(step ->
                mine.put(step.path(), step)));
        if (!mine.isEmpty()) {
            LOG.info("Job '{}' ({}) plays role {} again: {} of its steps ended in an earlier run and do not run again",
                    ctx.jobName(), ctx.jobId(), run.role(), mine.size());
        }
    }

    @Override
    public boolean plays(String role) {
        return run.role().equals(role == null ? leadRole : role);
    }

    @Override
    public synchronized Optional<Step> playedBefore(String path) {
        return Optional.ofNullable(mine.get(path));
    }

    @Override
    public synchronized Step played(Step step) {
        Step shown = step.playedBy(run.role(), ctx.nodeName());
        mine.put(step.path(), shown);
        ctx.checkpoint(new Played(List.copyOf(mine.values())));
        return shown;
    }

    @Override
    public Optional<Step> await(String path, String role, BooleanSupplier abandoned) throws InterruptedException {
        String playing = role == null ? leadRole : role;
        Duration wait = FIRST_WAIT;
        while (!abandoned.getAsBoolean()) {
            try {
                JobView peer = peerPlaying(playing);
                Optional<Step> step = stepsOf(peer).stream().filter(played -> played.path().equals(path))
                        .findFirst();
                if (step.isPresent()) {
                    return step;
                }
                if (peer.status().isFinal()) {
                    Instant now = Instant.now();
                    return Optional.of(new Step(path, "(not run: the run of role " + playing + " ended "
                            + peer.status() + ")", WorkRun.NOT_STARTED, now, now, null, playing, null));
                }
            } catch (OrchestratorException e) {
                if (e.status() != 0 && e.status() < 500) {
                    throw e;
                }
                LOG.warn("Job '{}' ({}) could not reach the manager to see step {} of role {} ({}); trying again",
                        ctx.jobName(), ctx.jobId(), path, playing, e.getMessage());
                wait = LONGEST_WAIT;
            }
            if (ctx.awaitCancellation(wait)) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("the run is torn down");
                }
                return Optional.empty();
            }
            Duration doubled = wait.multipliedBy(2);
            wait = doubled.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : doubled;
        }
        return Optional.empty();
    }

    /** The job that plays {@code role} as the manager shows it now: the job itself, or one of its children. */
    private JobView peerPlaying(String role) {
        if (role.equals(leadRole)) {
            return ctx.jobs().job(run.jobId());
        }
        List<JobView> children = ctx.jobs().children(run.jobId());
        return children.stream()
                .filter(child -> RoleRun.ofChild(child.params()).filter(played -> played.role().equals(role))
                        .isPresent())
                .min(Comparator.comparing(child -> child.status() == JobStatus.Deleted)) // a live one first
                .orElseThrow(() -> new IllegalStateException("job " + run.jobId() + " has no run of role " + role));
    }

    private static List<Step> stepsOf(JobView peer) {
        JsonNode checkpoint = peer.checkpoint();
        if (checkpoint == null) {
            return List.of();
        }
        try {
            return JSON.mapper().treeToValue(checkpoint, Played.class).steps();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the checkpoint of role run " + peer.id() + " holds no steps: "
                    + e.getOriginalMessage(), e);
        }
    }
}
