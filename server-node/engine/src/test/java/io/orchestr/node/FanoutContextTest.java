package io.orchestr.node;

import io.orchestr.node.testing.NodeTestBase;
import io.orchestr.shared.Names;
import io.orchestr.shared.RestartMode;
import io.orchestr.shared.wire.JobMessage;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The runs of a fan-out see their group and their index in it; a job outside any group sees neither. */
class FanoutContextTest extends NodeTestBase {
    record Place(Optional<String> group, OptionalInt index) {
    }

    @Test
    void eachRunOfAGroupSeesTheGroupAndItsIndexAndAJobOutsideAGroupSeesNeither() {
        manager.grantAll();
        Map<UUID, Place> seen = new ConcurrentHashMap<>();
        start(node("fanout").maxWorkers(5).handler(ctx -> {
            seen.put(ctx.jobId(), new Place(ctx.group(), ctx.index()));
        }));

        List<JobMessage> runs = IntStream.range(0, 4).mapToObj(i -> broker.publishJob(new JobMessage(
                UUID.randomUUID(), "shard-" + i, "", "default", Names.DEFAULT_POOL, RestartMode.NEVER, null, null,
                null, null, 0L, "nightly-shards", i))).toList();
        JobMessage alone = broker.publishJob("alone");

        eventually().until(() -> seen.size() == runs.size() + 1);
        for (int i = 0; i < runs.size(); i++) {
            assertThat(seen.get(runs.get(i).jobId())).isEqualTo(new Place(Optional.of("nightly-shards"),
                    OptionalInt.of(i)));
        }
        assertThat(seen.get(alone.jobId())).isEqualTo(new Place(Optional.empty(), OptionalInt.empty()));
    }
}
