package dev.opsbot.slack;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.slack.api.model.Usergroup;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Slack user groups each person belongs to, so the core can map groups to roles
 * ({@code slack:group:S0614TZR7}). Read with {@code usergroups.list} (scope usergroups:read),
 * cached for a few minutes; without the scope, nobody is in any group and roles by user id
 * still work.
 */
final class UserGroups {
    private static final Logger log = LoggerFactory.getLogger(UserGroups.class);
    private static final Duration FRESH = Duration.ofMinutes(5);

    private final SlackWebApi api;
    private final LoadingCache<String, Map<String, Set<String>>> membership;
    private volatile boolean warned;

    UserGroups(SlackWebApi api) {
        this.api = api;
        this.membership = Caffeine.newBuilder().expireAfterWrite(FRESH).maximumSize(1)
                .executor(Runnable::run).build(k -> load());
    }

    Set<String> of(String userId) {
        return membership.get("all").getOrDefault(userId, Set.of());
    }

    private Map<String, Set<String>> load() {
        try {
            // Not tried again through server errors: a command does not wait out an outage for group roles.
            List<Usergroup> groups = api.call("usergroups.list", SlackWebApi.Repeat.ONLY_AFTER_RATE_LIMIT,
                    () -> api.methods().usergroupsList(r -> r.includeUsers(true))).getUsergroups();
            if (groups == null) return Map.of();
            return groups.stream().filter(g -> g.getUsers() != null)
                    .flatMap(g -> g.getUsers().stream().map(u -> Map.entry(u, g.getId())))
                    .collect(Collectors.groupingBy(Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toSet())));
        } catch (RuntimeException e) {
            // A person's groups only add roles: a command never fails because they cannot be read.
            if (!warned) {
                warned = true;
                log.warn("Slack user groups cannot be read ({}); roles given to groups will not apply", e.getMessage());
            }
            return Map.of();
        }
    }
}
