package io.orchestr.shared.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchestr.shared.RestartMode;

import java.util.List;
import java.util.UUID;

/**
 * The {@code params} of the runnable node's built-in {@code pipeline} type: {@code {"stages": [[job body, ...],
 * ...], "failFast"?: true}}. Each stage's jobs run in parallel as children of the pipeline, stages one after
 * another. Shared by the manager, which checks the params when the pipeline is created, and the node, which
 * creates the children, so that both derive a child the same way ({@link #child}).
 *
 * @param stages   the job bodies of each stage, as {@code POST /api/jobs} takes them, but without {@code group},
 *                 {@code index} and {@code parentId} (the pipeline sets those) and with {@code name} optional
 * @param failFast whether a child that ends other than {@code Completed} cancels the rest of its stage and fails
 *                 the pipeline; null means true
 */
public record PipelineParams(List<List<JsonNode>> stages, Boolean failFast) {
    /** The job type that runs a pipeline. */
    public static final String TYPE = "pipeline";
    /** How deep pipelines may nest, the outermost counting as 1. */
    public static final int MAX_DEPTH = 10;
    /**
     * The most children one pipeline creates, over all its stages: a stage is created in one batch (at most 1,000
     * jobs), and the pipeline's checkpoint lists its children's ids (at most 64 KiB).
     */
    public static final int MAX_CHILDREN = 1_000;
    /** The keys the params take. */
    public static final List<String> FIELDS = List.of("stages", "failFast");
    /** The keys of a child's body that the pipeline sets, which the body must not give. */
    public static final List<String> SET_BY_PIPELINE = List.of("group", "index", "parentId");

    /** Whether the pipeline fails fast (the default). */
    public boolean failsFast() {
        return failFast == null || failFast;
    }

    /** The group of the children of stage {@code stage} (from 0) of the pipeline named {@code pipelineName}. */
    public static String stageGroup(String pipelineName, int stage) {
        return pipelineName + ".stage-" + stage;
    }

    /** The name a child gets when its body gives none: {@code <pipeline>-s<stage>-<index>}, both from 0. */
    public static String childName(String pipelineName, int stage, int index) {
        return pipelineName + "-s" + stage + "-" + index;
    }

    /**
     * The body of the child that {@code body} (a JSON object) becomes at {@code index} of stage {@code stage}: its
     * group is {@link #stageGroup}, its index {@code index}, its parent {@code pipelineId} (left out when null: the
     * manager's check at creation, when the pipeline has no id yet); its name {@link #childName} unless it gives
     * one, its {@code restart} {@code never} unless it gives one.
     */
    public static ObjectNode child(ObjectNode body, String pipelineName, UUID pipelineId, int stage, int index) {
        ObjectNode child = body.deepCopy();
        if (!child.hasNonNull("name")) {
            child.put("name", childName(pipelineName, stage, index));
        }
        if (!child.hasNonNull("restart")) {
            child.put("restart", RestartMode.NEVER.wireName());
        }
        child.put("group", stageGroup(pipelineName, stage));
        child.put("index", index);
        if (pipelineId != null) {
            child.put("parentId", pipelineId.toString());
        }
        return child;
    }
}
