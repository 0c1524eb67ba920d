package io.orchestr.manager.api;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/**
 * Who makes the current REST call, as a job's history names it ({@code actor}): {@code "api <who> <address>"}, the
 * token's name ({@code token-} and the start of its hash) or the OIDC subject, and the address the request came from
 * (a proxy's, behind one; a forwarded header is not trusted). Without access control, only the address.
 */
@RequestScoped
class Caller {
    @Inject
    HttpServerRequest request;

    @Inject
    SecurityIdentity identity;

    String actor() {
        SocketAddress address = request.remoteAddress();
        String who = identity.isAnonymous() ? "" : identity.getPrincipal().getName() + " ";
        return "api " + who + (address == null ? "unknown address" : address.hostAddress());
    }
}
