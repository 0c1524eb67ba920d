package io.orchestr.node.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchestr.client.ConflictException;
import io.orchestr.node.JobContext;
import io.orchestr.node.JobHandler;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.api.NewJob;
import io.orchestr.shared.api.PipelineParams;
import io.orchestr.shared.json.WireCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The {@code pipeline} type (docs/architecture.md, "Controllers and pipelines"): params {@link PipelineParams}.
 * Runs its stages one after another; a stage's job bodies are created at once, in one batch, as children of the
 * pipeline (group {@link PipelineParams#stageGroup}, index their place in the stage), and the stage ends when they
 * all ended ({@code Completed}, {@code Failed} or {@code Deleted}), polled through the manager's job list. With
 * {@code failFast} (the default) the first child that ends other than {@code Completed} cancels the stage's other
 * children, and once they ended the pipeline fails without creating the later stages; without it every stage runs
 * and the pipeline fails at the end if any child did not complete. The result, {@code Completed} and
 * {@code Failed} alike, lists each stage's children: {@code {"stages": [[{"id", "name", "status", "result"}]]}}.
 *
 * <p>A run that starts again (after a failover, a move, a pause) finds the children created before: it lists them
 * by {@code parentId} and matches them by group and index, and creates only those it does not find, so no child
 * is created twice. The job's checkpoint holds the ids of the children of the current generation of runs; a run
 * without one (the first, or that of a rerun, which drops it) deletes the children of the job's earlier runs
 * first, so that a rerun runs every stage anew.
 */
final class PipelineJob implements JobHandler {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineJob.class);
    private static final WireCodec JSON = new WireCodec();
    private static final Set<JobStatus> ENDED = EnumSet.of(JobStatus.Completed, JobStatus.Failed, JobStatus.Deleted);

    /** The job's checkpoint: the children the current generation of its runs created. */
    record Created(Set<UUID> children) {
    }

    /** A child as the result shows it. */
    record Child(UUID id, String name, JobStatus status, JsonNode result) {
        static Child of(JobView job) {
            return new Child(job.id(), job.name(), job.status(), job.result());
        }
    }

    /** The pipeline's result. */
    record Report(List<List<Child>> stages) {
    }

    @Override
    public void run(JobContext ctx) {
        PipelineParams params = ctx.params(PipelineParams.class);
        if (params == null || params.stages() == null || params.stages().isEmpty()) {
            throw new IllegalArgumentException("pipeline job '" + ctx.jobName() + "' needs params"
                    + " {\"stages\": [[job, ...], ...]}");
        }
        Polling polling = new Polling(ctx);
        try {
            run(ctx, params, polling);
        } catch (Polling.Stopped stopped) {
            LOG.info("Pipeline '{}' ({}) was asked to stop while it waited; its children are steered as the pipeline"
                    + " is (a cancel or pause reaches them too), and its next run finds them", ctx.jobName(),
                    ctx.jobId());
        }
    }

    private void run(JobContext ctx, PipelineParams params, Polling polling) {
        Set<UUID> created = new HashSet<>(ownChildren(ctx, polling));
        List<List<Child>> report = new ArrayList<>();
        JobView failure = null;
        int stages = params.stages().size();
        for (int stage = 0; stage < stages && (failure == null || !params.failsFast()); stage++) {
            start(ctx, params, stage, created, polling);
            List<JobView> ended = await(ctx, params, stage, created, polling);
            report.add(ended.stream().map(Child::of).toList());
            ctx.result(new Report(report));
            ctx.progress(stage + 1, stages, "stage " + stage + " of " + stages + " ended");
            if (failure == null) {
                failure = ended.stream().filter(child -> child.status() != JobStatus.Completed).findFirst()
                        .orElse(null);
            }
        }
        if (failure != null) {
            throw new StageFailedException("child '" + failure.name() + "' (" + failure.id() + ") in group "
                    + failure.group() + " ended " + failure.status() + (failure.lastError() == null ? ""
                    : ": " + failure.lastError()) + (params.failsFast() ? "; later stages were not started" : ""));
        }
        LOG.info("Pipeline '{}' ({}) completed its {} stages", ctx.jobName(), ctx.jobId(), stages);
    }

    /**
     * The children the current generation of the job's runs created, from its checkpoint. A run without a
     * checkpoint is the first of a generation: the job's first run, or a rerun's. It deletes the children of earlier
     * generations (stopping their runs, freeing their names) and stores an empty checkpoint before it creates any
     * child, so that a later run of its generation knows that the children it finds are its own.
     */
    private static Set<UUID> ownChildren(JobContext ctx, Polling polling) {
        Optional<Created> stored = ctx.lastCheckpoint(Created.class);
        if (stored.isPresent()) {
            return stored.get().children();
        }
        List<JobView> former = polling.call(ctx::children).stream()
                .filter(child -> child.status() != JobStatus.Deleted).toList();
        if (!former.isEmpty()) {
            LOG.info("Pipeline '{}' ({}) runs anew: deleting the {} children of its earlier runs", ctx.jobName(),
                    ctx.jobId(), former.size());
            former.forEach(child -> polling.call(() -> ctx.jobs().markOnDeleting(child.id())));
            polling.until(() -> ctx.children().stream().allMatch(child -> child.status() == JobStatus.Deleted));
        }
        ctx.checkpoint(new Created(Set.of()));
        return Set.of();
    }

    /** Creates the children of {@code stage} that do not exist yet, in one batch, and checkpoints their ids. */
    private static void start(JobContext ctx, PipelineParams params, int stage, Set<UUID> created,
                              Polling polling) {
        String group = PipelineParams.stageGroup(ctx.jobName(), stage);
        List<JsonNode> bodies = params.stages().get(stage);
        List<JobView> made;
        try {
            // listed again before every attempt: a batch the manager stored without its answer reaching us is
            // found, not created twice
            made = polling.call(() -> {
                Set<Integer> found = inGroup(ctx, group, created).stream().map(JobView::index)
                        .collect(Collectors.toSet());
                List<NewJob> missing = IntStream.range(0, bodies.size()).filter(index -> !found.contains(index))
                        .mapToObj(index -> child(ctx, bodies.get(index), stage, index)).toList();
                return missing.isEmpty() ? List.<JobView>of() : ctx.createChildren(missing);
            });
        } catch (ConflictException e) {
            throw new IllegalStateException("stage " + stage + " of pipeline '" + ctx.jobName() + "' cannot create"
                    + " its children: other jobs have the names " + e.names() + "; give the job bodies names of"
                    + " their own, or delete those jobs", e);
        }
        if (made.isEmpty()) {
            LOG.info("Pipeline '{}' ({}) found the {} children of stage {} created before", ctx.jobName(),
                    ctx.jobId(), bodies.size(), stage);
            return;
        }
        made.forEach(child -> created.add(child.id()));
        ctx.checkpoint(new Created(Set.copyOf(created)));
        LOG.info("Pipeline '{}' ({}) started stage {}: created {} of its {} children", ctx.jobName(), ctx.jobId(),
                stage, made.size(), bodies.size());
    }

    /**
     * Waits until every child of {@code stage} ended, cancelling the others at the first that did not complete when
     * the pipeline fails fast; returns them as they ended, by index.
     */
    private static List<JobView> await(JobContext ctx, PipelineParams params, int stage, Set<UUID> created,
                                       Polling polling) {
        String group = PipelineParams.stageGroup(ctx.jobName(), stage);
        boolean cancelled = false;
        polling.restart();
        while (true) {
            List<JobView> children = polling.call(() -> inGroup(ctx, group, created));
            if (children.stream().allMatch(child -> ENDED.contains(child.status()))) {
                return children;
            }
            if (params.failsFast() && !cancelled && children.stream().anyMatch(PipelineJob::failed)) {
                List<JobView> running = children.stream().filter(child -> !ENDED.contains(child.status())).toList();
                LOG.info("Pipeline '{}' ({}): a child of stage {} did not complete; cancelling the {} others",
                        ctx.jobName(), ctx.jobId(), stage, running.size());
                running.forEach(child -> polling.call(() -> ctx.jobs().markOnDeleting(child.id())));
                cancelled = true;
                polling.restart();
                continue;
            }
            polling.pause();
        }
    }

    private static boolean failed(JobView child) {
        return ENDED.contains(child.status()) && child.status() != JobStatus.Completed;
    }

    /**
     * The children of the current generation in {@code group}, by index: every one not {@code Deleted}, and the
     * {@code Deleted} ones that it created (those of earlier generations are all {@code Deleted}).
     */
    private static List<JobView> inGroup(JobContext ctx, String group, Set<UUID> created) {
        return ctx.children().stream().filter(child -> group.equals(child.group()))
                .filter(child -> child.status() != JobStatus.Deleted || created.contains(child.id()))
                .sorted(Comparator.comparing(JobView::index)).toList();
    }

    private static NewJob child(JobContext ctx, JsonNode body, int stage, int index) {
        if (!(body instanceof ObjectNode object)) {
            throw new IllegalArgumentException("stage " + stage + " of pipeline '" + ctx.jobName() + "' holds " + body
                    + " at " + index + ", not a job body");
        }
        try {
            return JSON.mapper().treeToValue(PipelineParams.child(object, ctx.jobName(), ctx.jobId(), stage, index),
                    NewJob.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("stage " + stage + " of pipeline '" + ctx.jobName() + "' holds a job"
                    + " body at " + index + " that does not read as one: " + e.getOriginalMessage(), e);
        }
    }
}
