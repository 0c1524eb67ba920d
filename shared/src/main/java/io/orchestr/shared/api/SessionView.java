package io.orchestr.shared.api;

import java.util.List;

/**
 * Who the caller is ({@code GET /api/session}): the dashboard shows only the actions its roles allow.
 *
 * @param name  the caller's name: a token's short fingerprint, or the subject of an issuer's token
 * @param role  the highest of its roles ({@code viewer}, {@code operator}, {@code exec}, {@code admin})
 * @param roles every role it holds, the lower ones its role includes too
 * @param auth  whether access control is on ({@code false}: anyone may do anything)
 */
public record SessionView(String name, String role, List<String> roles, boolean auth) {
    public SessionView {
        roles = List.copyOf(roles);
    }
}
