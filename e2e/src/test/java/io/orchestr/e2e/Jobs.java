package io.orchestr.e2e;

import io.orchestr.client.JobFilter;
import io.orchestr.client.OrchestratorClient;
import io.orchestr.client.PageRequest;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.api.NewJob;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Creating demo ticker jobs in a cluster and reading where they run. */
final class Jobs {
    private final Cluster cluster;
    private final OrchestratorClient client;

    Jobs(Cluster cluster) {
        this(cluster, cluster.client());
    }

    /** Jobs of {@code cluster} seen through {@code client}, e.g. one of several managers. */
    Jobs(Cluster cluster, OrchestratorClient client) {
        this.cluster = cluster;
        this.client = client;
    }

    /** Creates {@code count} ticker jobs named {@code <prefix>-<i>} that log their ticks. */
    List<UUID> createTickers(String namePrefix, int count) {
        return createTickers(namePrefix, count, 100);
    }

    /** Creates {@code count} ticker jobs that log a tick every {@code tickMillis}. */
    List<UUID> createTickers(String namePrefix, int count, int tickMillis) {
        return IntStream.range(0, count)
                .mapToObj(i -> createTicker(namePrefix + "-" + i, tickMillis))
                .toList();
    }

    UUID createTicker(String name) {
        return createTicker(name, 100);
    }

    UUID createTicker(String name, int tickMillis) {
        return createTicking(name, "ticker", tickMillis);
    }

    /** Creates a job of {@code type}, a demo type that ticks as {@code ticker} does, logging its ticks. */
    UUID createTicking(String name, String type, int tickMillis) {
        return client.createJob(new NewJob(name, cluster.tickArgument(name, tickMillis), type, null, null)).id();
    }

    JobView job(UUID id) {
        return client.job(id);
    }

    /** The jobs of this cluster, all of them (fits one page in these tests). */
    List<JobView> all() {
        return client.jobs(JobFilter.all(), new PageRequest(0, 1000)).items();
    }

    /** Waits until every job in {@code ids} is {@code Processing} and returns them by id. */
    Map<UUID, JobView> awaitAllProcessing(List<UUID> ids, Duration timeout) {
        await("all " + ids.size() + " jobs Processing").atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> ids.stream().allMatch(id -> client.job(id).status() == JobStatus.Processing));
        return ids.stream().map(client::job).collect(Collectors.toMap(JobView::id, Function.identity()));
    }

    /** Waits until the handler of every job has written its first tick. */
    void awaitAllTicking(List<UUID> ids, Duration timeout) {
        await("all handlers ticking").atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> ids.stream().allMatch(id -> cluster.tickLog(job(id).name()).started()));
    }

    /** No job's tick log shows two node incarnations running it at the same time. */
    void assertNoJobRanTwiceAtOnce(List<UUID> ids) {
        for (UUID id : ids) {
            String name = job(id).name();
            assertThat(cluster.tickLog(name).overlap()).as("overlapping runs of %s", name).isEmpty();
        }
    }

    /** Jobs counted by the server name the API shows for them. */
    static Map<String, Long> countByServer(Map<UUID, JobView> jobs) {
        return jobs.values().stream().collect(Collectors.groupingBy(
                job -> String.valueOf(job.serverName()), Collectors.counting()));
    }
}
