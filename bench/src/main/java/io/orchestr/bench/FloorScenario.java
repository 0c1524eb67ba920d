package io.orchestr.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Scenario 2 alone: the broker floor, without Orchestr. {@code failover} measures it too, beside each size. */
@Command(name = "floor", mixinStandardHelpOptions = true,
        description = "SIGKILLs a bare RabbitMQ consumer (its own JVM) holding N unacked messages and times each"
                + " message's redelivery to a second consumer: the fastest any design on this broker could fail over.")
final class FloorScenario extends ScenarioCommand {
    @Option(names = "--messages",
            description = "unacked messages the killed consumer holds (default: ${DEFAULT-VALUE})")
    int messages = 500;

    @Option(names = "--reps", description = "kills (default: ${DEFAULT-VALUE})")
    int reps = 5;

    @Override
    void run(BenchContext bench) throws Exception {
        Path logs = bench.logs().resolve("floor-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectories(logs);
        List<List<Double>> runs = new ArrayList<>();
        try (Floor floor = new Floor(bench, logs)) {
            for (int rep = 1; rep <= reps; rep++) {
                runs.add(floor.measure(messages));
                bench.progress("floor rep %d/%d: %d messages redelivered", rep, reps, messages);
            }
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("messages", messages);
        settings.put("reps", reps);
        bench.publish(report("floor-" + messages, "Broker floor: SIGKILL of a bare consumer holding " + messages
                + " unacked messages", settings, runs));
    }

    /** The floor's figures: per message, and per kill until the last message was redelivered. */
    static Report report(String id, String title, Map<String, Object> settings, List<List<Double>> runs) {
        List<Double> perMessage = runs.stream().flatMap(List::stream).toList();
        List<Double> perKill = runs.stream().map(run -> Stats.of(run).max()).toList();
        return new Report(id, title, settings, List.of(
                Figure.of("kill → message redelivered to the second consumer, per message", "ms", perMessage),
                Figure.of("kill → all messages redelivered, per kill", "ms", perKill)), List.of(
                "The killed consumer is a JVM of its own (FloorHolder) with prefetch = messages; the second consumer"
                        + " auto-acks, so nothing but the broker limits the redelivery."));
    }
}
