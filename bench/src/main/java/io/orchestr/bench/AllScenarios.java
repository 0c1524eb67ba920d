package io.orchestr.bench;

import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;

/**
 * Every scenario in turn with its default sizes, each on a cluster of its own. A scenario that fails is
 * reported and the others still run; the command fails at the end if any did.
 */
@Command(name = "all", mixinStandardHelpOptions = true,
        description = "Runs failover (with the broker floor), start-latency, cancel-latency, partition, bulk, scale"
                + " and rebalance with their defaults.")
final class AllScenarios extends ScenarioCommand {

    @Override
    void run(BenchContext bench) {
        List<ScenarioCommand> scenarios = List.of(new FailoverScenario(), new StartLatencyScenario(),
                new CancelLatencyScenario(), new PartitionScenario(), new BulkScenario(), new ScaleScenario(),
                new RebalanceScenario(), new ClusterLeaderScenario());
        List<String> failed = new ArrayList<>();
        long start = System.nanoTime();
        for (ScenarioCommand scenario : scenarios) {
            String name = scenario.getClass().getAnnotation(Command.class).name();
            bench.progress("scenario %s", name);
            try {
                scenario.run(bench);
            } catch (Exception e) {
                failed.add(name);
                bench.progress("scenario %s failed: %s", name, e);
            }
        }
        bench.progress("all scenarios took %d s", (System.nanoTime() - start) / 1_000_000_000L);
        if (!failed.isEmpty()) {
            throw new BenchException("scenarios failed: " + String.join(", ", failed));
        }
    }
}
