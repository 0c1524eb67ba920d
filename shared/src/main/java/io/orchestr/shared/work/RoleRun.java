package io.orchestr.shared.work;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Which role of an {@code exec} job's work one run plays (docs/architecture.md, "Roles"). The job itself plays its
 * <em>lead</em> role, the first of its roles in sorted order, and every step that names no role; each other role is
 * played by a child job that the manager creates with the job, whose params are {@link #params} of this record:
 * {@code {"roleRun": {"role": ..., "job": ...}, "work": <the job's params>}}. The manager writes that shape and the
 * node reads it; the API refuses it in a job body (its keys are no work), so no user can pose as a role run.
 *
 * @param role  the role this run plays
 * @param jobId the job whose roles these are: the one whose run plays the lead role
 * @param work  the whole work of that job, every role's steps
 */
public record RoleRun(String role, UUID jobId, JsonNode work) {
    private static final String KEY = "roleRun";

    public RoleRun {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(work, "work");
    }

    /** The role the job itself plays among {@code roles}, those its work names: the first in sorted order. */
    public static String leadRole(Set<String> roles) {
        return roles.stream().sorted().findFirst()
                .orElseThrow(() -> new IllegalArgumentException("work that names no role has no lead role"));
    }

    /**
     * The role run that {@code params} describe. Params of the manager's role-run shape name it; any other params
     * are a job's own work, whose run plays the lead role of it ({@code jobId} is then the run's own job); null
     * when that work names no role.
     */
    public static RoleRun of(JsonNode params, UUID jobId) {
        Optional<RoleRun> child = ofChild(params);
        if (child.isPresent()) {
            return child.get();
        }
        Set<String> roles = WorkParser.parse(params).roles();
        return roles.isEmpty() ? null : new RoleRun(leadRole(roles), jobId, params);
    }

    /** The role run that the params of a child job describe; empty for any other params. */
    public static Optional<RoleRun> ofChild(JsonNode params) {
        JsonNode run = params == null ? null : params.get(KEY);
        if (run == null || !run.isObject()) {
            return Optional.empty();
        }
        return Optional.of(new RoleRun(run.path("role").asText(), UUID.fromString(run.path("job").asText()),
                params.get("work")));
    }

    /** The params of the child job that plays {@link #role}. */
    public ObjectNode params() {
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.putObject(KEY).put("role", role).put("job", jobId.toString());
        params.set("work", work);
        return params;
    }

    /** True when this run plays the lead role, the job's own run. */
    public boolean isLead() {
        return role.equals(leadRole(WorkParser.parse(work).roles()));
    }
}
