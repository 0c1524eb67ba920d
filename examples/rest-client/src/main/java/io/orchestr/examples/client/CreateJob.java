package io.orchestr.examples.client;

import io.orchestr.client.OrchestratorClient;
import io.orchestr.client.OrchestratorException;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.api.NewJob;

import java.net.URI;
import java.time.Duration;

/**
 * Creates a job through the manager's REST API and waits until a node runs it.
 *
 * <p>Usage: {@code java -jar orchestr-example-rest-client.jar <manager-url> <name> <type> [argument]}, e.g.
 * {@code http://localhost:8080 hello greet Ada}, with an operator's token in {@code ORCHESTR_TOKEN} (the client's
 * default; {@code OrchestratorClient.create(uri, token)} takes one directly). Exits 0 once the job is
 * {@code Processing}, 1 when the manager refuses the job or no node took it within 60 s, 2 on wrong arguments.
 */
public final class CreateJob {
    private CreateJob() {
    }

    public static void main(String[] args) {
        if (args.length < 3 || args.length > 4) {
            System.err.println("usage: CreateJob <manager-url> <name> <type> [argument]");
            System.exit(2);
        }
        OrchestratorClient client = OrchestratorClient.create(URI.create(args[0]));
        try {
            JobView created = client.createJob(NewJob.of(args[1], args.length == 4 ? args[3] : "").withType(args[2]));
            System.out.printf("created job %s (%s), %s%n", created.name(), created.id(), created.status());
            JobView running = client.awaitStatus(created.id(), JobStatus.Processing, Duration.ofSeconds(60));
            System.out.printf("job %s is %s on node %s%n", running.name(), running.status(), running.serverName());
        } catch (OrchestratorException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }
}
