package io.orchestr.manager.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestr.manager.auth.Roles;
import io.orchestr.shared.Names;
import io.orchestr.shared.api.NewJob;
import io.orchestr.shared.api.PipelineParams;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import java.util.List;

/**
 * Refuses a job body that would run commands on the nodes, an {@code exec} job or a pipeline whose stages (at any
 * depth) create one, to a caller without the {@link Roles#EXEC} role: a {@code 403} saying so. Checked at creation
 * and at an edit; a job that exists already is steered with the operator's role.
 */
@RequestScoped
class CommandPermission {
    @Inject
    SecurityIdentity identity;

    /** {@code job}, when the caller may create it. */
    NewJob checked(NewJob job) {
        if (runsCommands(job.type(), job.params()) && !identity.hasRole(Roles.EXEC)) {
            throw new ForbiddenException("creating or editing an exec job, or a pipeline whose stages create one,"
                    + " needs the role " + Roles.EXEC + " (or " + Roles.ADMIN + "): it runs commands on the nodes");
        }
        return job;
    }

    /** The jobs of a batch, when the caller may create them all. */
    List<NewJob> checked(List<NewJob> jobs) {
        jobs.forEach(this::checked);
        return jobs;
    }

    private static boolean runsCommands(String type, JsonNode params) {
        if (Names.EXEC_TYPE.equals(type)) {
            return true;
        }
        if (!PipelineParams.TYPE.equals(type) || params == null) {
            return false;
        }
        for (JsonNode stage : params.path("stages")) {
            for (JsonNode body : stage) {
                JsonNode childType = body.get("type");
                if (childType != null && runsCommands(childType.asText(), body.get("params"))) {
                    return true;
                }
            }
        }
        return false;
    }
}
