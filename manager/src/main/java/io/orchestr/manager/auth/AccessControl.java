package io.orchestr.manager.auth;

import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * What access control this manager applies, settled once at start: whether it is on, the tokens of the tokens file,
 * and whether an OIDC issuer's JWTs count. Refuses to start when it is on and no caller could ever get in (neither a
 * tokens file nor an issuer), or with an issuer but no keys to check its tokens with; warns at every start while it
 * is off.
 */
@Startup
@ApplicationScoped
public class AccessControl {
    private static final Logger LOG = Logger.getLogger(AccessControl.class);

    @Inject
    AuthConfig config;

    private ApiTokens tokens = ApiTokens.none();

    @PostConstruct
    void start() {
        if (!enabled()) {
            LOG.warn("Access control is OFF (ORCHESTR_AUTH=off): anyone who reaches this manager's API may read,"
                    + " create and cancel every job and drain every server");
            return;
        }
        if (config.tokensFile().isEmpty() && !oidc()) {
            throw new IllegalStateException("Access control is on but no caller could get in: set"
                    + " ORCHESTR_API_TOKENS_FILE (lines of role:sha256hex(token)) or ORCHESTR_OIDC_ISSUER, or turn"
                    + " access control off with ORCHESTR_AUTH=off");
        }
        if (oidc() && config.oidc().jwksUrl().isEmpty()) {
            throw new IllegalStateException("ORCHESTR_OIDC_ISSUER is set without ORCHESTR_OIDC_JWKS_URL, the"
                    + " issuer's keys to verify its tokens with");
        }
        config.tokensFile().ifPresent(file -> tokens = ApiTokens.read(file));
        LOG.infof("Access control is on: %s tokens from %s by role; OIDC %s", tokens.countByRole(),
                config.tokensFile().map(Object::toString).orElse("no tokens file"),
                config.oidc().issuer().map(issuer -> "tokens of " + issuer + ", role from claim '"
                        + config.oidc().roleClaim() + "'").orElse("off"));
    }

    /** Whether {@code /api} calls need a token. */
    public boolean enabled() {
        return config.mode() == AuthConfig.Mode.on;
    }

    /** Whether an OIDC issuer's JWTs are accepted (smallrye-jwt verifies them). */
    public boolean oidc() {
        return config.oidc().issuer().isPresent();
    }

    /** The tokens of the tokens file; none without one. */
    public ApiTokens tokens() {
        return tokens;
    }
}
