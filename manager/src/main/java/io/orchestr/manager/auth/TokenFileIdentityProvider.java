package io.orchestr.manager.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Optional;

/**
 * Turns a bearer token (smallrye-jwt's mechanism reads the {@code Authorization} header) into an identity when the
 * tokens file lists its hash. It goes first; any other token is an OIDC issuer's JWT for smallrye-jwt's own
 * provider to verify next when an issuer is configured, and refused here otherwise (a 401), so that no JWT is
 * accepted without an issuer. With access control off every token passes, as no token at all does.
 */
@ApplicationScoped
public class TokenFileIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {
    /** Before smallrye-jwt's {@code MpJwtValidator}, which takes {@code SYSTEM_FIRST + 1}. */
    private static final int BEFORE_JWT = IdentityProvider.SYSTEM_FIRST + 100;

    @Inject
    AccessControl access;

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public int priority() {
        return BEFORE_JWT;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request,
                                              AuthenticationRequestContext context) {
        String token = request.getToken().getToken();
        Optional<String> role = access.tokens().role(token);
        if (role.isEmpty() && access.enabled()) {
            return access.oidc() ? Uni.createFrom().nullItem()
                    : Uni.createFrom().failure(new AuthenticationFailedException("unknown bearer token"));
        }
        QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(ApiTokens.name(token)))
                .addCredential(request.getToken());
        role.ifPresent(identity::addRole);
        return Uni.createFrom().item(identity.build());
    }
}
