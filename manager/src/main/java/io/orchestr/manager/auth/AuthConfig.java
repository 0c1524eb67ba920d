package io.orchestr.manager.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Access control of the REST API: {@code orchestr.auth} ({@code ORCHESTR_AUTH}), {@code orchestr.api.tokens-file}
 * ({@code ORCHESTR_API_TOKENS_FILE}) and {@code orchestr.oidc.*} ({@code ORCHESTR_OIDC_*}), as DESIGN.md names them.
 */
@ConfigMapping(prefix = "orchestr")
public interface AuthConfig {

    /** {@code on}, the default: every {@code /api} call needs a bearer token; {@code off}: anyone may do anything. */
    @WithName("auth")
    @WithDefault("on")
    Mode mode();

    /** The file of {@code role:sha256hex(token)} lines; read once at start. */
    @WithName("api.tokens-file")
    Optional<Path> tokensFile();

    /** OpenID Connect bearer tokens, verified by smallrye-jwt; off unless an issuer is set. */
    Oidc oidc();

    /** Whether access control is on. */
    enum Mode { on, off }

    /** An OIDC issuer whose JWTs the manager accepts. */
    interface Oidc {
        /** The issuer ({@code iss}) the tokens must carry; none turns OIDC off. */
        Optional<String> issuer();

        /** Where the issuer publishes its keys (a JWKS); needed with an issuer. */
        Optional<URI> jwksUrl();

        /** The claim that holds the caller's role ({@code viewer}, {@code operator} or {@code admin}). */
        @WithDefault("orchestr_role")
        String roleClaim();
    }
}
