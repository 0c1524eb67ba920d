package io.orchestr.manager.auth;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The API's roles, each including the ones below it: a {@code viewer} reads (every {@code GET}), an
 * {@code operator} also creates, steers and cancels jobs, an {@code exec} also creates and edits jobs that run
 * commands on the nodes ({@code exec} jobs, and pipelines that create them), an {@code admin} also drains and
 * undrains servers. The
 * resources name the least role each call needs ({@code @RolesAllowed}); {@link RoleAugmentor} gives every identity
 * the roles its own includes.
 */
public final class Roles {
    /** Reads jobs, their history and output, and servers. */
    public static final String VIEWER = "viewer";
    /** Also every job action: create, cancel, pause, resume, restart, move, rerun, patch, bulk, batch. */
    public static final String OPERATOR = "operator";
    /**
     * Also creating and editing {@code exec} jobs, which run shell commands on the nodes, and pipelines whose stages
     * create them: a permission of its own, since whoever holds it runs code on the fleet as the nodes' user.
     * Steering an existing exec job (cancel, pause, resume, restart, rerun) is an operator's.
     */
    public static final String EXEC = "exec";
    /** Also the server actions: drain and undrain. */
    public static final String ADMIN = "admin";

    /** Every role, the smallest first. */
    static final List<String> ALL = List.of(VIEWER, OPERATOR, EXEC, ADMIN);

    private Roles() {
    }

    /** The API's roles among {@code roles}, the smallest first: the last is the highest. */
    public static List<String> held(Collection<String> roles) {
        return ALL.stream().filter(roles::contains).toList();
    }

    /** Every role, the smallest first. */
    public static List<String> names() {
        return ALL;
    }

    /** Whether {@code role} is one of the API's roles. */
    static boolean known(String role) {
        return ALL.contains(role);
    }

    /** {@code role} and every role below it; empty for a role the API does not know. */
    static Set<String> included(String role) {
        int rank = ALL.indexOf(role);
        return rank < 0 ? Set.of() : Set.copyOf(ALL.subList(0, rank + 1));
    }
}
