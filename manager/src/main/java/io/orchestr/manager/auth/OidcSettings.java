package io.orchestr.manager.auth;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigSourceInterceptorFactory;
import io.smallrye.config.FallbackConfigSourceInterceptor;

import java.util.Map;

/**
 * Hands smallrye-jwt the OIDC settings under Orchestr's names: {@code mp.jwt.verify.issuer} falls back to
 * {@code orchestr.oidc.issuer} ({@code ORCHESTR_OIDC_ISSUER}) and {@code mp.jwt.verify.publickey.location} to
 * {@code orchestr.oidc.jwks-url}. A fallback, not {@code ${...}} in application.properties, because smallrye-jwt
 * refuses to start with a setting that expands to nothing, and without an issuer there is nothing to give it.
 * Registered through {@code META-INF/services}.
 */
public class OidcSettings implements ConfigSourceInterceptorFactory {
    @Override
    public ConfigSourceInterceptor getInterceptor(ConfigSourceInterceptorContext context) {
        return new FallbackConfigSourceInterceptor(Map.of(
                "mp.jwt.verify.issuer", "orchestr.oidc.issuer",
                "mp.jwt.verify.publickey.location", "orchestr.oidc.jwks-url"));
    }
}
