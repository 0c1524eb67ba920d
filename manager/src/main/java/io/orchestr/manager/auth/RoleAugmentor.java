package io.orchestr.manager.auth;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * Gives every identity, from the tokens file or an OIDC issuer, the roles its own includes ({@link Roles}), so that
 * an {@code admin} passes a check for {@code operator} or {@code viewer}. With access control off, every caller,
 * anonymous too, gets every role.
 */
@ApplicationScoped
public class RoleAugmentor implements SecurityIdentityAugmentor {
    @Inject
    AccessControl access;

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        Set<String> roles = access.enabled()
                ? identity.getRoles().stream().flatMap(role -> Roles.included(role).stream())
                        .collect(Collectors.toSet())
                : Set.copyOf(Roles.ALL);
        if (identity.getRoles().containsAll(roles)) {
            return Uni.createFrom().item(identity);
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity).addRoles(roles).build());
    }
}
