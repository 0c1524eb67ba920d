package io.orchestr.shared.work;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * One item of an {@code exec} job's work: a {@link Command} or a {@link Group} of items. Immutable.
 *
 * <p>A role applies to the item and, unless a child names its own, to everything below it; {@link #role()} is the
 * role the item itself names, not the inherited one.
 */
public sealed interface Work permits Command, Group {

    /**
     * The role this item names itself; null when it inherits its parent's (or the job has none). Nullable like the
     * records' other optional components, since a record's accessor must return its component's own type.
     */
    String role();

    /** Every role named anywhere in this item, sorted; empty when none is. */
    default Set<String> roles() {
        Set<String> roles = new TreeSet<>();
        collectRoles(this, roles);
        return Collections.unmodifiableSet(roles);
    }

    private static void collectRoles(Work work, Set<String> roles) {
        if (work.role() != null) {
            roles.add(work.role());
        }
        if (work instanceof Group group) {
            group.steps().forEach(step -> collectRoles(step, roles));
        }
    }
}
