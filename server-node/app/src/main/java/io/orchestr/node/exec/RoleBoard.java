package io.orchestr.node.exec;

import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What the runs of one {@code exec} job's roles know of each other's steps (docs/architecture.md, "Roles"): each run
 * plays its role's steps and tells the board how each ended; for a step of another role it waits until the board
 * says how that step ended, so that every run walks the same work tree in the same order and comes to the same
 * outcome. A job without roles has {@link #NONE}: it plays every step.
 */
interface RoleBoard {

    /** The board of a job without roles: the one run plays every step and has no one to tell. */
    RoleBoard NONE = new RoleBoard() {
        @Override
        public boolean plays(String role) {
            return true;
        }

        @Override
        public Optional<Step> playedBefore(String path) {
            return Optional.empty();
        }

        @Override
        public Step played(Step step) {
            return step;
        }

        @Override
        public Optional<Step> await(String path, String role, BooleanSupplier abandoned) {
            throw new IllegalStateException("a job without roles plays step " + path + " itself");
        }
    };

    /** True when this run plays the steps of {@code role} (null: a step that names no role, the lead's). */
    boolean plays(String role);

    /** How this role's step {@code path} ended in an earlier run of this role (before a failover), if it did. */
    Optional<Step> playedBefore(String path);

    /**
     * Tells the other roles' runs how a step of this run's ended; returns once they can see it.
     *
     * @return the step as the board shows it (with its role and node)
     */
    Step played(Step step);

    /**
     * Waits until the run playing {@code role} ended step {@code path}, or ended without it (then the step counts as
     * not started).
     *
     * @param abandoned true once this run needs the step no more (its group was stopped)
     * @return how the step ended; empty when this run was asked to stop, or {@code abandoned}, first
     * @throws InterruptedException when the run is torn down
     */
    Optional<Step> await(String path, String role, BooleanSupplier abandoned) throws InterruptedException;
}
