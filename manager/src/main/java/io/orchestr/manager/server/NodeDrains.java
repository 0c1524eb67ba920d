package io.orchestr.manager.server;

import io.orchestr.manager.ConflictException;
import io.orchestr.manager.UnknownIdException;
import io.orchestr.manager.broker.ControlMessage;
import io.orchestr.manager.broker.ControlPublisher;
import io.orchestr.manager.store.ServerEntity;
import io.orchestr.manager.store.Store;
import io.orchestr.shared.Causes;
import io.orchestr.shared.NodeStatus;
import io.orchestr.shared.wire.ToNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Drains and undrains nodes (docs/architecture.md, "Drain"). The wanted drain is stored on the server row with the
 * next ask number, then sent to the node ({@link ToNode.Drain}); the node's snapshots report the last ask it
 * followed, and the snapshot handler sends the managers' ask again while the node reports an older one, so a lost
 * message or a manager restart costs a heartbeat interval. A repeat changes nothing.
 */
@ApplicationScoped
public class NodeDrains {
    private static final Logger LOG = Logger.getLogger(NodeDrains.class);

    private final Store store;
    private final ControlPublisher controls;
    private final Clock clock;

    NodeDrains(Store store, ControlPublisher controls, Clock clock) {
        this.store = store;
        this.controls = controls;
        this.clock = clock;
    }

    /**
     * The node takes no new jobs and hands back the ones it holds: {@code Draining}, then {@code Drained} once it
     * reports it holds nothing.
     *
     * @throws UnknownIdException when no server has this id
     * @throws ConflictException  when the server left, is lost, or predates drains
     */
    public void drain(UUID serverId) {
        ask(serverId, true);
    }

    /**
     * The node takes jobs again: {@code Active}.
     *
     * @throws UnknownIdException when no server has this id
     * @throws ConflictException  when the server left, is lost, or predates drains
     */
    public void undrain(UUID serverId) {
        ask(serverId, false);
    }

    private void ask(UUID serverId, boolean drain) {
        Optional<ToNode.Drain> ask = QuarkusTransaction.requiringNew().call(() -> decide(serverId, drain));
        ask.ifPresent(message -> {
            try {
                controls.send(List.of(ControlMessage.toNode(serverId, message)));
            } catch (RuntimeException e) {
                LOG.warnf("Could not send the %s of node %s now (%s); its next snapshot brings it again",
                        drain ? "drain" : "undrain", serverId, Causes.describe(e));
            }
        });
    }

    /** Stores the ask on the locked row; returns the message for the node, or empty when nothing changes. */
    private Optional<ToNode.Drain> decide(UUID serverId, boolean drain) {
        ServerEntity server = store.lockServer(serverId)
                .orElseThrow(() -> new UnknownIdException("server", serverId.toString()));
        String verb = drain ? "drain" : "undrain";
        if (server.status == NodeStatus.Stopped || server.status == NodeStatus.Lost) {
            throw new ConflictException("cannot " + verb + " server " + serverId + ": it is " + server.status
                    + (server.status == NodeStatus.Stopped ? " (it left)" : " (it sends no snapshots)")
                    + "; a node that reconnects is a new server");
        }
        if (server.drainReported == null) {
            throw new ConflictException("cannot " + verb + " server " + serverId + " (" + server.name + "): its"
                    + " node predates drains; upgrade it");
        }
        if (server.drain == drain) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        server.drain = drain;
        server.drainSeq++;
        server.status = !drain ? NodeStatus.Active
                : "DRAINED".equals(server.drainReported) ? NodeStatus.Drained : NodeStatus.Draining;
        server.modifiedAt = now;
        if (drain) {
            int unplaced = store.unplaceFromDrained(serverId, now);
            LOG.infof("Draining node %s (%s): it is asked to take no job and hand back those it holds%s", serverId,
                    server.name, unplaced == 0 ? "" : "; " + unplaced + " jobs placed on it go to any node instead");
        } else {
            LOG.infof("Undraining node %s (%s): it takes jobs again", serverId, server.name);
        }
        return Optional.of(new ToNode.Drain(drain, server.drainSeq));
    }
}
