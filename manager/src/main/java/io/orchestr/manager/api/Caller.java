package io.orchestr.manager.api;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/**
 * Who makes the current REST call, as a job's history names it ({@code actor}). There is no authentication yet,
 * so it is the one true thing known: {@code "api <address>"}, the address the request came from (a proxy's, behind
 * one; a forwarded header is not trusted). Once calls carry tokens, the token's subject belongs here instead.
 */
@RequestScoped
class Caller {
    @Inject
    HttpServerRequest request;

    String actor() {
        SocketAddress address = request.remoteAddress();
        return "api " + (address == null ? "unknown address" : address.hostAddress());
    }
}
