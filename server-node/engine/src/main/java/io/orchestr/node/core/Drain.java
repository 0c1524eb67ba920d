package io.orchestr.node.core;

import io.orchestr.shared.wire.ToManager;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * Whether the node drains: takes no new jobs and hands back the ones it holds (docs/architecture.md, "Drain"). It
 * lives in the engine, above incarnations, so that a node that reconnects while drained starts its next incarnation
 * drained. Asks come from the managers ({@code ToNode.Drain}) and from the node itself ({@code
 * OrchestratedServer.drain}); each carries a sequence number, and only an ask newer than the last one followed
 * counts, so that a manager's ask sent again after the node drained on its own does not undo it, and the node's own
 * ask wins over an older one of the managers. Engine-confined, except {@link #drains}.
 */
final class Drain {
    /** Written on the engine thread only; read from any thread. */
    private volatile boolean drains;
    private long seq;
    /** Futures of {@link #whenDrained} callers, completed once the node holds nothing. */
    private final List<CompletableFuture<Void>> waiting = new ArrayList<>();

    /** True while the node is asked to drain. Thread-safe. */
    boolean drains() {
        return drains;
    }

    /** The sequence number of the last ask followed; 0 before any. */
    long seq() {
        return seq;
    }

    /**
     * A drain ask from the managers: followed when it is newer than the last one followed.
     *
     * @return true when it changed whether the node drains
     */
    boolean managersAsk(boolean drain, long askSeq) {
        if (askSeq <= seq) {
            return false;
        }
        seq = askSeq;
        return change(drain);
    }

    /**
     * The node's own ask, newer than any so far.
     *
     * @return true when it changed whether the node drains
     */
    boolean ownAsk(boolean drain) {
        seq++;
        return change(drain);
    }

    /**
     * A future that completes once the node holds nothing while it drains (at once when {@code holdsNothing}); it
     * fails with a {@link CancellationException} when the node is undrained first.
     */
    CompletableFuture<Void> whenDrained(boolean holdsNothing) {
        CompletableFuture<Void> drained = new CompletableFuture<>();
        if (drains && holdsNothing) {
            drained.complete(null);
        } else {
            waiting.add(drained);
        }
        return drained;
    }

    /** The node holds nothing any more: the waiting futures complete, if it drains. */
    void holdsNothing() {
        if (drains) {
            waiting.forEach(future -> future.complete(null));
            waiting.clear();
        }
    }

    /** The node closes, so it holds nothing and takes nothing any more: every waiting future completes. */
    void closed() {
        waiting.forEach(future -> future.complete(null));
        waiting.clear();
    }

    /** How a snapshot reports it, given whether the incarnation holds any job. */
    ToManager.NodeDrain report(boolean holdsNothing) {
        ToManager.DrainState state = !drains ? ToManager.DrainState.ACTIVE
                : holdsNothing ? ToManager.DrainState.DRAINED : ToManager.DrainState.DRAINING;
        return new ToManager.NodeDrain(state, seq);
    }

    private boolean change(boolean drain) {
        if (drain == drains) {
            return false;
        }
        drains = drain;
        if (!drain) {
            waiting.forEach(future -> future.completeExceptionally(
                    new CancellationException("the node was undrained before it held nothing")));
            waiting.clear();
        }
        return true;
    }
}
