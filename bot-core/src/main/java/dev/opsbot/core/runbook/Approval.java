package dev.opsbot.core.runbook;

import java.time.Duration;

/**
 * A runbook's approval rule: how many people holding {@code role} must approve, whether the
 * requester may be one of them (default no: four eyes), and how long the request lives.
 */
public record Approval(int approvers, String role, boolean selfApprove, Duration expires) {
    public Approval {
        approvers = Math.max(1, approvers);
        role = role == null ? "approver" : role;
        expires = expires == null ? Duration.ofMinutes(15) : expires;
    }
}
