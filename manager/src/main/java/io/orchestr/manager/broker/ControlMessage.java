package io.orchestr.manager.broker;

import io.orchestr.shared.topology.Topology;
import io.orchestr.shared.wire.ToNode;

import java.util.Objects;
import java.util.UUID;

/**
 * A message for nodes, addressed by its routing key on the control exchange: one node's key or {@code all}.
 * Handlers return these instead of sending them, so that nothing goes out before their transaction commits.
 */
public record ControlMessage(String routingKey, ToNode message) {
    public ControlMessage {
        Objects.requireNonNull(routingKey, "routingKey");
        Objects.requireNonNull(message, "message");
    }

    public static ControlMessage toNode(UUID nodeId, ToNode message) {
        return new ControlMessage(Topology.nodeRoutingKey(nodeId), message);
    }

    public static ControlMessage toAll(ToNode message) {
        return new ControlMessage(Topology.BROADCAST_KEY, message);
    }
}
