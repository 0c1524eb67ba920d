package io.orchestr.shared.work;

import java.util.List;
import java.util.Objects;

/**
 * Steps run one after another ({@link Kind#SEQUENCE}) or all at once ({@link Kind#PARALLEL}). A failing step fails
 * the group: in a sequence the later steps do not start; in a parallel group the other steps are stopped unless
 * {@code continueOnError}.
 *
 * @param kind            how the steps run
 * @param steps           the steps, at least one, in order
 * @param continueOnError for a parallel group: let the other steps run on when one fails; always false for a
 *                        sequence
 * @param role            the role this group names itself (its steps inherit it); null when it inherits one
 */
public record Group(Kind kind, List<Work> steps, boolean continueOnError, String role) implements Work {
    /** How a group's steps run. */
    public enum Kind { SEQUENCE, PARALLEL }

    public Group {
        Objects.requireNonNull(kind, "kind");
        steps = List.copyOf(Objects.requireNonNull(steps, "steps"));
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a group has at least one step");
        }
        if (kind == Kind.SEQUENCE && continueOnError) {
            throw new IllegalArgumentException("continueOnError applies to parallel groups only");
        }
    }
}
