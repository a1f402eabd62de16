package dev.opsbot.core.runbook;

import java.util.function.UnaryOperator;

/**
 * What an environment changes in the runbooks it serves: production may require approval for
 * every change (four eyes) where the runbook itself asks only for a confirmation, and staging
 * may drop the runbooks' approvals so a confirmation is enough.
 *
 * @param dropApprovals  runbooks run after a confirmation, whatever approval they declare
 * @param requireApproval the approval every mutating runbook needs unless it declares its own; null for none
 */
public record EnvironmentRules(boolean dropApprovals, Approval requireApproval) implements UnaryOperator<Runbook> {

    /** The runbooks as written. */
    public static final EnvironmentRules AS_WRITTEN = new EnvironmentRules(false, null);

    public EnvironmentRules {
        if (dropApprovals && requireApproval != null) {
            throw new IllegalArgumentException("an environment either drops approvals or requires one, not both");
        }
    }

    @Override
    public Runbook apply(Runbook r) {
        if (dropApprovals) return r.approval() == null ? r : r.withApproval(null);
        if (requireApproval != null && r.mutates() && r.approval() == null) return r.withApproval(requireApproval);
        return r;
    }
}
