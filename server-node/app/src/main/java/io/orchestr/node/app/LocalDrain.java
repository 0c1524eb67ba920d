package io.orchestr.node.app;

import io.orchestr.node.OrchestratedServer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /drain?timeout=PT60S} on the node's HTTP port, for a Kubernetes {@code preStop} hook: drains the node
 * ({@link OrchestratedServer#drain()}) and answers once it holds nothing, so that the SIGTERM that follows finds
 * nothing to hand back. Only callers on the loopback interface are served (the hook runs in the pod): anyone else
 * gets {@code 403}, since the port also serves health checks to the cluster. Answers: {@code 200} drained; {@code
 * 504} not drained within the timeout (it goes on draining); {@code 409} undrained meanwhile; {@code 400} a bad
 * timeout; {@code 503} no node runs here.
 */
@Singleton
class LocalDrain {
    private static final Logger LOG = Logger.getLogger(LocalDrain.class);
    /** Long enough for a few batches of handlers that take their whole cancel grace (10 s by default). */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    static final Duration MAX_TIMEOUT = Duration.ofHours(1);

    private final Instance<OrchestratedServer> server;

    LocalDrain(Instance<OrchestratedServer> server) {
        this.server = server;
    }

    void routes(@Observes Router router) {
        router.post("/drain").handler(this::drain);
    }

    private void drain(RoutingContext request) {
        String remote = request.request().remoteAddress() == null ? null : request.request().remoteAddress().host();
        if (!isLoopback(remote)) {
            LOG.warnf("Refused a drain from %s: only the loopback interface may drain this node", remote);
            answer(request, 403, "only the loopback interface may drain this node, not " + remote);
            return;
        }
        Duration timeout;
        try {
            timeout = timeout(request.request().getParam("timeout"));
        } catch (IllegalArgumentException e) {
            answer(request, 400, e.getMessage());
            return;
        }
        CompletableFuture<Void> drained;
        try {
            drained = server.get().drain();
        } catch (RuntimeException e) { // no node here (none configured), or it is not started or closing
            answer(request, 503, "no running node in this process: " + e.getMessage());
            return;
        }
        LOG.infof("Draining this node, as asked on its own port; answering once it holds nothing (at most %s)",
                timeout);
        Context context = Vertx.currentContext();
        drained.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((done, failure) ->
                context.runOnContext(ignored -> {
                    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                    switch (cause) {
                        case null -> answer(request, 200, null);
                        case TimeoutException e -> answer(request, 504, "not drained within " + timeout
                                + "; it goes on draining");
                        case CancellationException e -> answer(request, 409, "undrained before it was drained");
                        default -> answer(request, 500, cause.toString());
                    }
                }));
    }

    /** True for an IP literal of the loopback interface (127.0.0.0/8, ::1); false for anything else or null. */
    static boolean isLoopback(String host) {
        if (host == null || host.isEmpty() || !(host.indexOf(':') >= 0 || Character.isDigit(host.charAt(0)))) {
            return false; // the remote address is an IP literal; a name is never taken on trust
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The drain's timeout: an ISO-8601 duration from 1 s to 1 h, {@link #DEFAULT_TIMEOUT} when absent. */
    static Duration timeout(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_TIMEOUT;
        }
        Duration timeout;
        try {
            timeout = Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("timeout must be an ISO-8601 duration such as PT60S, got '" + value
                    + "'");
        }
        if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("timeout must be from PT1S to PT1H, got " + value);
        }
        return timeout;
    }

    private static void answer(RoutingContext request, int status, String error) {
        JsonObject body = error == null ? new JsonObject().put("status", "Drained")
                : new JsonObject().put("error", error);
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }
}
