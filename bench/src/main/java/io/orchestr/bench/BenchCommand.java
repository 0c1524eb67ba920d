package io.orchestr.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top command: only lists the scenarios. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Starts a real Orchestr cluster on this machine (manager and nodes as separate JVMs, the local"
                + " RabbitMQ and MariaDB), runs a scenario against it and prints a Markdown table per run; the same"
                + " figures go to bench/results/<scenario>-<timestamp>.json.",
                "Times are wall-clock milliseconds unless a figure says otherwise."},
        subcommands = {AllScenarios.class, FailoverScenario.class, FloorScenario.class, StartLatencyScenario.class,
                CancelLatencyScenario.class, BulkScenario.class, ScaleScenario.class, PartitionScenario.class,
                FleetScenario.class, RebalanceScenario.class, SpuriousFencesScenario.class,
                ClusterLeaderScenario.class})
final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
