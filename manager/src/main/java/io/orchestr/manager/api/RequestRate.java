package io.orchestr.manager.api;

import io.orchestr.manager.config.OrchestrConfig;
import io.orchestr.shared.api.ApiError;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits the API requests of each client, by its remote address (a proxy's, behind one), to
 * {@code orchestr.limits.requests-per-second} on average with bursts of {@code orchestr.limits.request-burst}: a
 * token bucket per address. A request past it gets a {@code 429} with {@code Retry-After} (whole seconds until the
 * bucket holds a token again) and the JSON error body. Health and metrics are not API resources and are never
 * limited. Buckets of addresses idle for a minute are dropped, so the map stays small. Application-scoped, so that
 * it is made at the first request, once the configuration is there. Thread-safe.
 */
@ApplicationScoped
class RequestRate {
    private static final long IDLE_NANOS = 60_000_000_000L;
    private static final int SWEEP_AT = 10_000;

    private final double perSecond;
    private final double burst;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    RequestRate(OrchestrConfig config) {
        this.perSecond = config.limits().requestsPerSecond();
        this.burst = Math.max(1, config.limits().requestBurst());
    }

    /** One client's tokens: a request takes one; they come back at {@link #perSecond}, up to {@link #burst}. */
    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    @ServerRequestFilter
    Optional<RestResponse<ApiError>> limit(HttpServerRequest request) {
        if (perSecond <= 0) {
            return Optional.empty();
        }
        SocketAddress address = request.remoteAddress();
        String client = address == null ? "unknown" : address.hostAddress();
        long now = System.nanoTime();
        if (buckets.size() > SWEEP_AT) {
            buckets.values().removeIf(bucket -> now - bucket.at > IDLE_NANOS);
        }
        Bucket bucket = buckets.computeIfAbsent(client, key -> new Bucket(burst, now));
        double wait;
        synchronized (bucket) {
            bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.at) / 1e9 * perSecond);
            bucket.at = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return Optional.empty();
            }
            wait = (1 - bucket.tokens) / perSecond;
        }
        long retryAfter = Math.max(1, (long) Math.ceil(wait));
        return Optional.of(RestResponse.ResponseBuilder.create(Response.Status.TOO_MANY_REQUESTS,
                        ApiError.of("too many requests from " + client + ": at most " + (long) perSecond
                                + " per second (orchestr.limits.requests-per-second), in bursts of " + (long) burst
                                + "; try again in " + retryAfter + " s"))
                .type(MediaType.APPLICATION_JSON_TYPE).header("Retry-After", Long.toString(retryAfter)).build());
    }
}
