package io.orchestr.manager.api;

import io.orchestr.manager.InvalidRequestException;
import io.orchestr.manager.auth.AccessControl;
import io.orchestr.manager.auth.Roles;
import io.orchestr.shared.api.SessionView;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code /api/session}: the dashboard's sign-in. A browser's {@code EventSource} sends no {@code Authorization}
 * header, so the dashboard trades the token for a cookie that carries it: {@code HttpOnly} (no script reads it back),
 * {@code SameSite=Strict} (no other site's page sends it, which is what keeps a cookie from being a cross-site request
 * forgery's way in), {@code Secure} over HTTPS, and gone when the browser closes. The manager checks the cookie's
 * token exactly as a bearer token, on every call, so revoking a token ends its sessions and any manager of the fleet
 * takes the cookie (no session is kept on the server).
 */
@Path("/api/session")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {
    /** The cookie, named in {@code mp.jwt.token.cookie} too, where the token mechanism looks for it first. */
    public static final String COOKIE = "orchestr_session";
    /** The characters of API tokens and JWTs, which a cookie carries as they are. */
    private static final Pattern COOKIE_SAFE = Pattern.compile("[A-Za-z0-9._~+/=-]{1,8192}");

    private final SecurityIdentity identity;
    private final IdentityProviderManager providers;
    private final AccessControl access;
    private final HttpServerRequest request;

    SessionResource(SecurityIdentity identity, IdentityProviderManager providers, AccessControl access,
                    HttpServerRequest request) {
        this.identity = identity;
        this.providers = providers;
        this.access = access;
        this.request = request;
    }

    /** Who the caller is, with the roles its token holds. */
    @GET
    @RolesAllowed(Roles.VIEWER)
    public SessionView session() {
        return view(identity);
    }

    /**
     * Signs in: with a valid {@code Authorization: Bearer} token, answers who it is and sets the session cookie; 401
     * without one or with a bad one, 403 for a token with no role. The header's token is checked itself, not the
     * one of a cookie the browser may still hold from an earlier sign-in (the mechanism would look at that first).
     */
    @POST
    @PermitAll
    @APIResponse(responseCode = "200", description = "who the token is; Set-Cookie sets the session cookie",
            headers = @Header(name = HttpHeaders.SET_COOKIE, schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = SessionView.class)))
    @APIResponse(responseCode = "400", description = "the token holds characters a cookie cannot carry")
    @APIResponse(responseCode = "401", description = "no bearer token, or one that is not valid")
    @APIResponse(responseCode = "403", description = "the token holds no role")
    public RestResponse<SessionView> signIn(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new UnauthorizedException();
        }
        String token = authorization.substring(7).trim();
        if (!COOKIE_SAFE.matcher(token).matches()) {
            throw new InvalidRequestException("Authorization", "sign in with the header Authorization: Bearer"
                    + " <token>, a token of letters, digits and . _ ~ + / = -");
        }
        SecurityIdentity signedIn = providers.authenticateBlocking(
                new TokenAuthenticationRequest(new TokenCredential(token, "bearer")));
        if (signedIn == null) {
            throw new AuthenticationFailedException("unknown bearer token");
        }
        if (Roles.held(signedIn.getRoles()).isEmpty()) {
            throw new ForbiddenException("the token holds none of the roles " + Roles.names());
        }
        return RestResponse.ResponseBuilder.ok(view(signedIn)).header(HttpHeaders.SET_COOKIE, cookie(token, ""))
                .build();
    }

    private SessionView view(SecurityIdentity who) {
        List<String> roles = Roles.held(who.getRoles());
        String name = who.isAnonymous() ? "anonymous" : who.getPrincipal().getName();
        return new SessionView(name, roles.getLast(), roles, access.enabled());
    }

    /** Signs out: clears the session cookie; open to anyone, as it only ever clears the caller's own cookie. */
    @DELETE
    @PermitAll
    @APIResponse(responseCode = "204", description = "signed out; Set-Cookie clears the session cookie",
            headers = @Header(name = HttpHeaders.SET_COOKIE, schema = @Schema(type = SchemaType.STRING)))
    public RestResponse<Void> signOut() {
        return RestResponse.ResponseBuilder.<Void>noContent().header(HttpHeaders.SET_COOKIE, cookie("", "; Max-Age=0"))
                .build();
    }

    private String cookie(String value, String expiry) {
        boolean https = "https".equalsIgnoreCase(request.scheme());
        return COOKIE + "=" + value + "; Path=/; HttpOnly; SameSite=Strict" + (https ? "; Secure" : "") + expiry;
    }
}
