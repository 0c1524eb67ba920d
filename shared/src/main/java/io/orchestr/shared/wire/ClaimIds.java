package io.orchestr.shared.wire;

/** Claim ids on the wire: a claim and every reply about it name the claimant's id for the delivery it claims. */
final class ClaimIds {
    /** What a message from a sender that predates claim ids carries: replies with it act on any copy. */
    static final long NONE = 0;

    private ClaimIds() {
    }

    static Long orNone(Long claim) {
        return claim == null ? NONE : claim;
    }
}
