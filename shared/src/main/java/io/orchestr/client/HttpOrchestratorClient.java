package io.orchestr.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import io.orchestr.shared.Causes;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.ApiError;
import io.orchestr.shared.api.JobUpdate;
import io.orchestr.shared.api.BulkRequest;
import io.orchestr.shared.api.BulkResult;
import io.orchestr.shared.api.JobEventView;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.api.MoveRequest;
import io.orchestr.shared.api.NewJob;
import io.orchestr.shared.api.Page;
import io.orchestr.shared.api.ServerView;
import io.orchestr.shared.json.MalformedMessageException;
import io.orchestr.shared.json.WireCodec;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;

final class HttpOrchestratorClient implements OrchestratorClient {
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
    /** The content type of a JSON merge patch (RFC 7396). */
    private static final String MERGE_PATCH = "application/merge-patch+json";
    /** What a run's output is served as; errors still come as JSON. */
    private static final String OUTPUT_TYPE = "text/plain, application/json";

    private final URI api;
    private final Duration requestTimeout;
    /** The {@code Authorization} header's value; {@code null} sends none. */
    private final String authorization;
    private final HttpClient http;
    private final WireCodec codec = new WireCodec();
    private final JavaType jobList;
    private final JavaType jobPage;
    private final JavaType serverPage;
    private final JavaType eventPage;

    HttpOrchestratorClient(URI baseUri, Duration requestTimeout, String token) {
        String base = baseUri.toString();
        this.authorization = token == null || token.isBlank() ? null : "Bearer " + token.strip();
        this.api = URI.create(base.endsWith("/") ? base + "api/" : base + "/api/");
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(requestTimeout).build();
        this.jobList = codec.mapper().getTypeFactory().constructCollectionType(List.class, JobView.class);
        this.jobPage = codec.mapper().getTypeFactory().constructType(new TypeReference<Page<JobView>>() { });
        this.serverPage = codec.mapper().getTypeFactory().constructType(new TypeReference<Page<ServerView>>() { });
        this.eventPage = codec.mapper().getTypeFactory().constructType(new TypeReference<Page<JobEventView>>() { });
    }

    /** The API's base URL, for logs. */
    @Override
    public String toString() {
        return api.toString();
    }

    @Override
    public JobView createJob(NewJob job) {
        HttpRequest request = request("jobs")
                .header("Content-Type", WireCodec.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(codec.encode(job)))
                .build();
        return send(request, codec.mapper().constructType(JobView.class));
    }

    @Override
    public List<JobView> createJobs(List<NewJob> jobs) {
        HttpRequest request = request("jobs/batch")
                .header("Content-Type", WireCodec.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(codec.encode(jobs)))
                .build();
        return send(request, jobList);
    }

    @Override
    public JobView markOnDeleting(UUID jobId) {
        return send(request("jobs/" + jobId).DELETE().build(), codec.mapper().constructType(JobView.class));
    }

    @Override
    public JobView pause(UUID jobId) {
        return steer(jobId, "pause", null);
    }

    @Override
    public JobView resume(UUID jobId) {
        return steer(jobId, "resume", null);
    }

    @Override
    public JobView restart(UUID jobId) {
        return steer(jobId, "restart", null);
    }

    @Override
    public JobView move(UUID jobId, UUID serverId) {
        return steer(jobId, "move", serverId == null ? null : new MoveRequest(serverId));
    }

    private JobView steer(UUID jobId, String action, Object body) {
        return send(post("jobs/" + jobId + "/" + action, body), codec.mapper().constructType(JobView.class));
    }

    @Override
    public ServerView drain(UUID serverId) {
        return send(post("servers/" + serverId + "/drain", null), codec.mapper().constructType(ServerView.class));
    }

    @Override
    public ServerView undrain(UUID serverId) {
        return send(post("servers/" + serverId + "/undrain", null), codec.mapper().constructType(ServerView.class));
    }

    /** A {@code POST} of {@code body} as JSON, or of nothing when it is null. */
    private HttpRequest post(String path, Object body) {
        return request(path)
                .header("Content-Type", WireCodec.CONTENT_TYPE)
                .POST(body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(codec.encode(body)))
                .build();
    }

    @Override
    public JobView update(UUID jobId, JobUpdate update) {
        HttpRequest request = request("jobs/" + jobId)
                .header("Content-Type", MERGE_PATCH)
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(codec.encode(update.toMergePatch())))
                .build();
        return send(request, codec.mapper().constructType(JobView.class));
    }

    @Override
    public JobView rerun(UUID jobId, boolean keepCheckpoint) {
        HttpRequest request = request("jobs/" + jobId + "/rerun")
                .header("Content-Type", WireCodec.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(codec.encode(Map.of("keepCheckpoint", keepCheckpoint))))
                .build();
        return send(request, codec.mapper().constructType(JobView.class));
    }

    @Override
    public BulkResult bulk(BulkRequest request) {
        HttpRequest http = request("jobs/bulk")
                .header("Content-Type", WireCodec.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(codec.encode(request)))
                .build();
        return send(http, codec.mapper().constructType(BulkResult.class));
    }

    @Override
    public JobView job(UUID jobId) {
        return send(request("jobs/" + jobId).GET().build(), codec.mapper().constructType(JobView.class));
    }

    @Override
    public Page<JobView> jobs(JobFilter filter, PageRequest page) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("status", filter.status());
        query.put("name", filter.name());
        query.put("serverId", filter.serverId());
        query.put("pool", filter.pool());
        query.put("group", filter.group());
        query.put("parentId", filter.parentId());
        query.put("page", page.page());
        query.put("size", page.size());
        return send(request("jobs" + queryString(query)).GET().build(), jobPage);
    }

    @Override
    public Page<JobEventView> events(UUID jobId, PageRequest page) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("page", page.page());
        query.put("size", page.size());
        return send(request("jobs/" + jobId + "/events" + queryString(query)).GET().build(), eventPage);
    }

    @Override
    public String output(UUID jobId) {
        HttpRequest request = request("jobs/" + jobId + "/output").setHeader("Accept", OUTPUT_TYPE).GET().build();
        HttpResponse<byte[]> response = exchange(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw failure(request, response.statusCode(), response.body());
        }
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Override
    public InputStream followOutput(UUID jobId) {
        // no request timeout: a followed output streams for as long as the run goes
        HttpRequest request = authorized(HttpRequest.newBuilder(api.resolve("jobs/" + jobId + "/output?follow=true")))
                .header("Accept", OUTPUT_TYPE).GET().build();
        HttpResponse<InputStream> response = exchange(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            try (InputStream body = response.body()) {
                throw failure(request, response.statusCode(), body.readAllBytes());
            } catch (IOException e) {
                throw failure(request, response.statusCode(), new byte[0]);
            }
        }
        return response.body();
    }

    @Override
    public Page<ServerView> servers(ServerFilter filter, PageRequest page) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("status", filter.status());
        query.put("page", page.page());
        query.put("size", page.size());
        return send(request("servers" + queryString(query)).GET().build(), serverPage);
    }

    @Override
    public ServerView server(UUID serverId) {
        return send(request("servers/" + serverId).GET().build(), codec.mapper().constructType(ServerView.class));
    }

    @Override
    public JobView awaitStatus(UUID jobId, JobStatus status, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        return poll(jobId, job -> {
            if (job.status() == status) {
                return true;
            }
            if (job.status().isFinal()) {
                throw new OrchestratorException("job " + jobId + " is " + job.status() + " for good; it will never"
                        + " be " + status, 0);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AwaitTimeoutException("job " + jobId + " did not reach " + status + " within "
                        + timeout + "; it is " + job.status());
            }
            return false;
        }, () -> false);
    }

    @Override
    public JobView awaitEnd(UUID jobId, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        return poll(jobId, job -> {
            if (!job.status().isFinal() && Instant.now().isAfter(deadline)) {
                throw new AwaitTimeoutException("job " + jobId + " did not end within " + timeout + "; it is "
                        + job.status());
            }
            return job.status().isFinal();
        }, () -> false);
    }

    @Override
    public <R> R awaitResult(UUID jobId, Class<R> type, Duration timeout) {
        return resultOf(awaitEnd(jobId, timeout), type);
    }

    @Override
    public <R> CompletableFuture<R> resultAsync(UUID jobId, Class<R> type) {
        CompletableFuture<R> future = new CompletableFuture<>();
        Thread.ofVirtual().name("orchestr-result-" + jobId).start(() -> {
            try {
                JobView job = poll(jobId, seen -> seen.status().isFinal(), future::isDone);
                if (job.status().isFinal()) {
                    future.complete(resultOf(job, type));
                }
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            }
        });
        return future;
    }

    /**
     * Reads the job every {@link #POLL_INTERVAL} until {@code done} says so (or throws), or {@code abandoned} is
     * true; returns the job last read.
     */
    private JobView poll(UUID jobId, Predicate<JobView> done, BooleanSupplier abandoned) {
        JobView job = job(jobId);
        while (!done.test(job) && !abandoned.getAsBoolean()) {
            try {
                Thread.sleep(POLL_INTERVAL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OrchestratorException("interrupted while waiting for job " + jobId, e);
            }
            job = job(jobId);
        }
        return job;
    }

    /** The result of an ended job as {@code type}. */
    private <R> R resultOf(JobView job, Class<R> type) {
        if (job.status() != JobStatus.Completed) {
            throw new JobNotCompletedException(job);
        }
        if (job.result() == null) {
            return null;
        }
        try {
            return codec.mapper().treeToValue(job.result(), type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new OrchestratorException("the result of job '" + job.name() + "' (" + job.id() + ") does not bind"
                    + " to " + type.getName() + ": " + Causes.describe(e), e);
        }
    }

    private HttpRequest.Builder request(String path) {
        return authorized(HttpRequest.newBuilder(api.resolve(path)))
                .timeout(requestTimeout)
                .header("Accept", WireCodec.CONTENT_TYPE);
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        return authorization == null ? request : request.header("Authorization", authorization);
    }

    private <T> T send(HttpRequest request, JavaType type) {
        HttpResponse<byte[]> response = exchange(request, HttpResponse.BodyHandlers.ofByteArray());
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            try {
                return codec.mapper().readValue(response.body(), type);
            } catch (IOException e) {
                throw new OrchestratorException("unreadable answer from " + request.uri() + ": " + e.getMessage(), e);
            }
        }
        throw failure(request, status, response.body());
    }

    private <B> HttpResponse<B> exchange(HttpRequest request, HttpResponse.BodyHandler<B> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new OrchestratorException("manager at " + api + " unreachable: " + Causes.describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OrchestratorException("interrupted while calling " + request.uri(), e);
        }
    }

    /** The exception for an answer of {@code status} with {@code body}, an {@link ApiError} or plain text. */
    private OrchestratorException failure(HttpRequest request, int status, byte[] body) {
        ApiError error = apiError(body);
        String message = request.method() + " " + request.uri().getPath() + " answered " + status + ": "
                + describe(error);
        return switch (status) {
            case 404 -> new NotFoundException(message);
            case 409 -> new ConflictException(message, error.index(), error.names() == null ? List.of()
                    : error.names());
            default -> new OrchestratorException(message, status, error.field(), error.index());
        };
    }

    /** The error body, or one made of the answer's text when it is not an {@link ApiError}. */
    private ApiError apiError(byte[] body) {
        try {
            return codec.decode(body, ApiError.class);
        } catch (MalformedMessageException e) {
            return ApiError.of(new String(body, StandardCharsets.UTF_8));
        }
    }

    private static String describe(ApiError error) {
        return error.field() == null ? error.error() : error.error() + " (field " + error.field() + ")";
    }

    private static String queryString(Map<String, Object> parameters) {
        String query = parameters.entrySet().stream()
                .filter(e -> e.getValue() != null)
                .map(e -> e.getKey() + "=" + URLEncoder.encode(String.valueOf(e.getValue()), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return query.isEmpty() ? "" : "?" + query;
    }
}
