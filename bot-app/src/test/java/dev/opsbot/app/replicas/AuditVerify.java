package dev.opsbot.app.replicas;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code opsbot audit verify} run as an operator runs it, in a process of its own: its exit code and what it printed. */
record AuditVerify(int exitCode, String output) {

    static AuditVerify run(Path config, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                "dev.opsbot.app.Main", "audit", "verify", "--config", config.toString())).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("SLACK_") || k.startsWith("DISCORD_") || k.startsWith("OPSBOT_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("opsbot audit verify did not finish within 60 s:\n" + output);
        }
        return new AuditVerify(p.exitValue(), output);
    }
}
