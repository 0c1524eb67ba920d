package io.orchestr.bench;

import io.orchestr.client.JobFilter;
import io.orchestr.client.OrchestratorClient;
import io.orchestr.client.PageRequest;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.api.NewJob;
import io.orchestr.shared.api.Page;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * Creates, watches and cancels the demo {@code ticker} jobs of one cluster through its REST API. Each job writes
 * its ticks to a file of its own, named after the job.
 */
final class TickerJobs {
    private static final int PAGE = 1000;

    private final BenchCluster cluster;
    private final OrchestratorClient client;
    private final int tickMillis;

    /**
     * A job as created.
     *
     * @param requestedAt  wall-clock time (epoch millis) just before the request was sent
     * @param answerMillis how long the manager took to answer {@code 201}
     */
    record Created(UUID id, String name, long requestedAt, double answerMillis) {
    }

    TickerJobs(BenchCluster cluster, int tickMillis) {
        this.cluster = cluster;
        this.client = cluster.client();
        this.tickMillis = tickMillis;
    }

    Created create(String name) {
        long requestedAt = System.currentTimeMillis();
        long start = System.nanoTime();
        JobView job = client.createJob(newJob(name));
        return new Created(job.id(), name, requestedAt, (System.nanoTime() - start) / 1e6);
    }

    /** Creates jobs {@code <prefix>-0} to {@code <prefix>-<count - 1>} from {@code clients} concurrent clients. */
    List<Created> create(String prefix, int count, int clients) {
        return Parallel.map(names(prefix, count), clients, this::create);
    }

    /**
     * Creates jobs {@code <prefix>-0} to {@code <prefix>-<count - 1>} through {@code POST /api/jobs/batch},
     * {@code batchSize} per request, from {@code clients} concurrent clients. Each job is given its batch's request
     * time and answer time.
     */
    List<Created> createInBatches(String prefix, int count, int batchSize, int clients) {
        List<String> names = names(prefix, count);
        List<List<String>> batches = IntStream.iterate(0, from -> from < count, from -> from + batchSize)
                .mapToObj(from -> names.subList(from, Math.min(count, from + batchSize))).toList();
        return Parallel.map(batches, clients, this::createBatch).stream().flatMap(List::stream).toList();
    }

    private List<Created> createBatch(List<String> names) {
        long requestedAt = System.currentTimeMillis();
        long start = System.nanoTime();
        List<JobView> jobs = client.createJobs(names.stream().map(this::newJob).toList());
        double answerMillis = (System.nanoTime() - start) / 1e6;
        return jobs.stream().map(job -> new Created(job.id(), job.name(), requestedAt, answerMillis)).toList();
    }

    private NewJob newJob(String name) {
        return new NewJob(name, cluster.tickArgument(name, tickMillis), "ticker", null, null);
    }

    private static List<String> names(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + "-" + i).toList();
    }

    /** Asks for every job to be cancelled, from {@code clients} concurrent clients. */
    void cancel(Collection<UUID> ids, int clients) {
        Parallel.map(List.copyOf(ids), clients, client::markOnDeleting);
    }

    /** How many jobs have {@code status}. */
    long count(JobStatus status) {
        return client.jobs(JobFilter.withStatus(status), PageRequest.first(1)).total();
    }

    /** How many jobs have {@code status} on node incarnation {@code serverId}. */
    long count(JobStatus status, UUID serverId) {
        return client.jobs(new JobFilter(status, null, serverId, null), PageRequest.first(1)).total();
    }

    /** Every job with {@code status}, page by page. */
    List<JobView> all(JobStatus status) {
        List<JobView> jobs = new ArrayList<>();
        for (int page = 0; ; page++) {
            Page<JobView> items = client.jobs(JobFilter.withStatus(status), new PageRequest(page, PAGE));
            jobs.addAll(items.items());
            if (items.items().size() < PAGE) {
                return jobs;
            }
        }
    }

    /** Waits until no job is queued, running or being cancelled. */
    void awaitNoneActive(Duration timeout) {
        Await.until("no job Queued, Processing or Deleting", timeout, Duration.ofMillis(200),
                () -> count(JobStatus.Processing) == 0 && count(JobStatus.Deleting) == 0
                        && count(JobStatus.Queued) == 0);
    }

    /** Waits until the handler of every job named has written its first tick; returns when that was seen. */
    long awaitStarted(Collection<String> names, Duration timeout) {
        Set<String> waiting = new HashSet<>(names);
        return Await.until("the handlers of " + names.size() + " jobs to start", timeout, Duration.ofMillis(100),
                () -> {
                    waiting.removeIf(name -> cluster.tickLog(name).started());
                    return waiting.isEmpty();
                });
    }

    TickTimeline timeline(String name) {
        return new TickTimeline(cluster.tickLog(name).ticks());
    }
}
