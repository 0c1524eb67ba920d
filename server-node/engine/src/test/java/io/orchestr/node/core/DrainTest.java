package io.orchestr.node.core;

import io.orchestr.shared.wire.ToManager;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DrainTest {
    private final Drain drain = new Drain();

    @Test
    void aNewNodeTakesJobsAndReportsNoAskYet() {
        assertThat(drain.drains()).isFalse();
        assertThat(drain.report(true)).isEqualTo(new ToManager.NodeDrain(ToManager.DrainState.ACTIVE, 0));
    }

    @Test
    void aManagersAskIsFollowedOnlyWhenItIsNewerThanTheLastOneFollowed() {
        assertThat(drain.managersAsk(true, 3)).isTrue();
        assertThat(drain.drains()).isTrue();

        assertThat(drain.managersAsk(false, 3)).as("the same ask again, or a late one").isFalse();
        assertThat(drain.managersAsk(false, 2)).isFalse();
        assertThat(drain.drains()).isTrue();
        assertThat(drain.managersAsk(true, 4)).as("newer, but it drains already").isFalse();
        assertThat(drain.seq()).isEqualTo(4);

        assertThat(drain.managersAsk(false, 5)).isTrue();
        assertThat(drain.drains()).isFalse();
    }

    @Test
    void theNodesOwnAskIsNewerThanAnyAndAnOlderAskOfTheManagersDoesNotUndoIt() {
        drain.managersAsk(false, 6);

        assertThat(drain.ownAsk(true)).isTrue();
        assertThat(drain.seq()).isEqualTo(7);
        assertThat(drain.managersAsk(false, 6)).as("the managers' ask, sent again before they saw the node's")
                .isFalse();
        assertThat(drain.managersAsk(false, 7)).as("a tie: the node's own ask stands").isFalse();
        assertThat(drain.drains()).isTrue();
        assertThat(drain.report(false)).isEqualTo(new ToManager.NodeDrain(ToManager.DrainState.DRAINING, 7));
        assertThat(drain.report(true)).isEqualTo(new ToManager.NodeDrain(ToManager.DrainState.DRAINED, 7));
    }

    @Test
    void aWaiterCompletesOnceTheNodeHoldsNothingAndAtOnceWhenItHoldsNothingAlready() {
        drain.ownAsk(true);
        CompletableFuture<Void> waiting = drain.whenDrained(false);
        assertThat(waiting).isNotDone();

        drain.holdsNothing();

        assertThat(waiting).isCompleted();
        assertThat(drain.whenDrained(true)).isCompleted();
    }

    @Test
    void anUndrainFailsTheWaitersAndAnEmptyNodeThatDoesNotDrainCompletesNothing() {
        drain.ownAsk(true);
        CompletableFuture<Void> waiting = drain.whenDrained(false);

        drain.ownAsk(false);

        assertThat(waiting).isCompletedExceptionally();
        assertThatThrownBy(waiting::join).isInstanceOf(CancellationException.class);
        CompletableFuture<Void> notDraining = drain.whenDrained(true);
        drain.holdsNothing();
        assertThat(notDraining).as("waits for a drain").isNotDone();
        drain.closed();
        assertThat(notDraining).as("a closed node holds nothing").isCompleted();
    }
}
