package dev.opsbot.bench;

import dev.opsbot.core.testing.RepoRoot;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The environment that points a {@code ./opsbot} process at a benchmark's stack and fakes. */
final class BotEnv {
    private BotEnv() {
    }

    static Path repoRunbooks() {
        return RepoRoot.get().resolve("runbooks");
    }

    static Path benchRunbooks() {
        return RepoRoot.get().resolve("bench/runbooks");
    }

    /**
     * JVM options for the bot under measurement: BENCH_BOT_JAVA_OPTS (to profile it, e.g.
     * {@code -XX:StartFlightRecording=filename=/tmp/bot.jfr}) plus any the scenario needs.
     */
    static Map<String, String> javaOpts(String... more) {
        String opts = (System.getenv().getOrDefault("BENCH_BOT_JAVA_OPTS", "") + " " + String.join(" ", more)).strip();
        return opts.isEmpty() ? Map.of() : Map.of("OPSBOT_JAVA_OPTS", opts);
    }

    static Map<String, String> stack(BenchStack stack, Path data, Path runbooks) {
        Map<String, String> env = new LinkedHashMap<>(BenchStack.environment());
        env.putAll(javaOpts());
        env.put("OPSBOT_DATA", data.toString());
        env.put("OPSBOT_COMPOSE_FILE", stack.composeFile().toString());
        env.put("OPSBOT_PROJECT", stack.project());
        env.put("OPSBOT_STACK", "bench");
        env.put("OPSBOT_RUNBOOKS", runbooks.toString());
        return env;
    }

    static Map<String, String> slack(FakeSlackApi slack, String secret, int port) {
        return Map.of("SLACK_BOT_TOKEN", FakeSlackApi.BOT_TOKEN, "SLACK_SIGNING_SECRET", secret,
                "SLACK_API_URL", slack.apiUrl(), "OPSBOT_HTTP_PORT", Integer.toString(port));
    }
}
