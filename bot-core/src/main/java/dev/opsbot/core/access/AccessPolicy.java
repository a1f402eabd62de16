package dev.opsbot.core.access;

import dev.opsbot.core.chat.UserRef;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who holds which role. Members are written {@code *} (everyone), {@code slack:*} (everyone on
 * a platform), {@code slack:U123} (one person), or {@code slack:group:S456} /
 * {@code discord:group:789} (a Slack user group or Discord role the adapter resolved). Roles
 * imply others (admin implies deployer and approver, which imply viewer).
 */
public record AccessPolicy(Map<String, List<String>> members, Map<String, List<String>> implies,
                           boolean directMessages, int commandsPerMinute) {

    public static final String VIEWER = "viewer";
    public static final String DEPLOYER = "deployer";
    public static final String APPROVER = "approver";
    public static final String ADMIN = "admin";

    public static final Map<String, List<String>> DEFAULT_IMPLIES = Map.of(
            ADMIN, List.of(DEPLOYER, APPROVER),
            DEPLOYER, List.of(VIEWER),
            APPROVER, List.of(VIEWER));

    public AccessPolicy {
        members = Map.copyOf(members);
        implies = implies == null ? DEFAULT_IMPLIES : Map.copyOf(implies);
        commandsPerMinute = commandsPerMinute <= 0 ? 20 : commandsPerMinute;
    }

    /** Everyone may do everything: for a local console and for tests of other concerns. */
    public static AccessPolicy openToAll() {
        return new AccessPolicy(Map.of(ADMIN, List.of("*")), DEFAULT_IMPLIES, true, 600);
    }

    /** The roles of a person, implied ones included. */
    public Set<String> rolesOf(UserRef user) {
        Set<String> roles = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        members.forEach((role, who) -> {
            if (who.stream().anyMatch(pattern -> matches(pattern, user))) todo.add(role);
        });
        while (!todo.isEmpty()) {
            String role = todo.poll();
            if (roles.add(role)) todo.addAll(implies.getOrDefault(role, List.of()));
        }
        return roles;
    }

    public boolean has(UserRef user, String role) {
        return rolesOf(user).contains(role);
    }

    /** Refuses {@code what} unless {@code user} has {@code role} (null: anyone may). */
    public void require(UserRef user, String role, String what) {
        if (role == null || has(user, role)) return;
        Set<String> roles = rolesOf(user);
        throw new AccessDeniedException(what + " needs the " + role + " role; " + user.name()
                + (roles.isEmpty() ? " has none" : " has " + String.join(", ", roles)) + ". Ask an admin.");
    }

    private static boolean matches(String pattern, UserRef user) {
        if (pattern.equals("*")) return true;
        int colon = pattern.indexOf(':');
        if (colon < 0) return false;
        String platform = pattern.substring(0, colon);
        String rest = pattern.substring(colon + 1);
        if (!platform.equals(user.platform())) return false;
        if (rest.equals("*")) return true;
        if (rest.startsWith("group:")) return user.groups().contains(rest.substring(6));
        return rest.equals(user.id());
    }
}
