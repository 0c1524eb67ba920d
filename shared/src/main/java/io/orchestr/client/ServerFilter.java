package io.orchestr.client;

import io.orchestr.shared.NodeStatus;

/** Which servers {@link OrchestratorClient#servers} lists; a null status matches every server. */
public record ServerFilter(NodeStatus status) {
    public static ServerFilter all() {
        return new ServerFilter(null);
    }
}
