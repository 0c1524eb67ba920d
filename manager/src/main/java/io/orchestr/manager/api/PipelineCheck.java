package io.orchestr.manager.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchestr.manager.InvalidRequestException;
import io.orchestr.manager.job.JobCreator;
import io.orchestr.shared.api.NewJob;
import io.orchestr.shared.api.PipelineParams;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks the params of a {@code pipeline} job when it is created, so that a pipeline never fails half-way for a
 * child it could not create: {@code stages} must be a non-empty list of non-empty lists of job bodies, each valid as
 * the child it becomes ({@link PipelineParams#child}), at most {@link PipelineParams#MAX_CHILDREN} of them,
 * pipelines nested at most {@link PipelineParams#MAX_DEPTH} deep, and no key unknown. A refusal names the field
 * by its path, e.g. {@code params.stages[1][0].name}.
 */
final class PipelineCheck {
    /** What a child's body may give: the fields of {@code POST /api/jobs}, less those the pipeline sets. */
    private static final Set<String> BODY_FIELDS = Arrays.stream(NewJob.class.getRecordComponents())
            .map(RecordComponent::getName).filter(field -> !PipelineParams.SET_BY_PIPELINE.contains(field))
            .collect(Collectors.toUnmodifiableSet());

    private PipelineCheck() {
    }

    /**
     * {@code job}, once checked when it is a pipeline.
     *
     * @throws InvalidRequestException naming the field at fault
     */
    static NewJob checked(NewJob job) {
        if (PipelineParams.TYPE.equals(job.type())) {
            check(job.name(), job.params(), "params", 1);
        }
        return job;
    }

    /** Checks {@code params} (at path {@code at}) of the pipeline {@code name}, nested {@code depth} deep. */
    private static void check(String name, JsonNode params, String at, int depth) {
        if (params == null || !params.isObject()) {
            throw new InvalidRequestException(at, at + " of a pipeline must be a JSON object such as"
                    + " {\"stages\": [[{\"type\": \"build\"}], [{\"type\": \"test\"}]]}");
        }
        Params.onlyFields(params, PipelineParams.FIELDS, field -> at + "." + field,
                field -> at + " of a pipeline takes only " + PipelineParams.FIELDS + ", not " + field);
        JsonNode failFast = params.get("failFast");
        if (failFast != null && !failFast.isNull() && !failFast.isBoolean()) {
            throw new InvalidRequestException(at + ".failFast", at + ".failFast must be true or false, not "
                    + failFast);
        }
        JsonNode stages = params.get("stages");
        if (stages == null || !stages.isArray() || stages.isEmpty()) {
            throw new InvalidRequestException(at + ".stages", at + ".stages must be a non-empty JSON array of"
                    + " stages, each a non-empty array of job bodies");
        }
        int children = 0;
        for (JsonNode bodies : stages) {
            children += bodies.size();
        }
        if (children > PipelineParams.MAX_CHILDREN) {
            throw new InvalidRequestException(at + ".stages", at + ".stages hold " + children + " job bodies; a"
                    + " pipeline creates at most " + PipelineParams.MAX_CHILDREN + " children");
        }
        for (int stage = 0; stage < stages.size(); stage++) {
            String stageAt = at + ".stages[" + stage + "]";
            JsonNode bodies = stages.get(stage);
            if (!bodies.isArray() || bodies.isEmpty()) {
                throw new InvalidRequestException(stageAt, stageAt + " must be a non-empty JSON array of job"
                        + " bodies");
            }
            for (int index = 0; index < bodies.size(); index++) {
                checkChild(name, bodies.get(index), stageAt + "[" + index + "]", stage, index, depth);
            }
        }
    }

    private static void checkChild(String pipeline, JsonNode body, String at, int stage, int index, int depth) {
        if (!body.isObject()) {
            throw new InvalidRequestException(at, at + " must be a job body, a JSON object such as"
                    + " {\"type\": \"build\"}");
        }
        body.fieldNames().forEachRemaining(field -> {
            if (PipelineParams.SET_BY_PIPELINE.contains(field)) {
                throw new InvalidRequestException(at + "." + field, at + ": a pipeline sets its children's "
                        + PipelineParams.SET_BY_PIPELINE + " itself; leave " + field + " out");
            }
            if (!BODY_FIELDS.contains(field)) {
                throw new InvalidRequestException(at + "." + field, at + ": a job body has no field " + field);
            }
        });
        NewJob child;
        try {
            child = JobCreator.check(NewJobReader.job(PipelineParams.child((ObjectNode) body, pipeline, null, stage,
                    index)));
        } catch (InvalidRequestException e) {
            throw new InvalidRequestException(e.field() == null ? at : at + "." + e.field(),
                    at + ": " + e.getMessage());
        }
        if (PipelineParams.TYPE.equals(child.type())) {
            if (depth >= PipelineParams.MAX_DEPTH) {
                throw new InvalidRequestException(at + ".type", at + ": pipelines nest at most "
                        + PipelineParams.MAX_DEPTH + " deep");
            }
            check(child.name(), child.params(), at + ".params", depth + 1);
        }
    }
}
