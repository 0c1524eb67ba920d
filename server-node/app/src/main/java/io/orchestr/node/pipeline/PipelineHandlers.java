package io.orchestr.node.pipeline;

import io.orchestr.node.JobHandler;
import io.orchestr.node.quarkus.JobType;
import io.orchestr.shared.api.PipelineParams;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Serves the {@code pipeline} type on every runnable node, demo or not. Its runs create jobs through the node's
 * client of the manager, so a node that takes pipelines needs {@code ORCHESTR_NODE_MANAGER_URL}; without it a
 * pipeline's run fails at once, naming the setting.
 */
@Singleton
public class PipelineHandlers {

    @Produces
    @Singleton
    @JobType(PipelineParams.TYPE)
    JobHandler pipeline() {
        return new PipelineJob();
    }
}
