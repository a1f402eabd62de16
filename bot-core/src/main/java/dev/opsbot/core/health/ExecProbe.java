package dev.opsbot.core.health;

import dev.opsbot.core.docker.DockerHost;
import dev.opsbot.core.engine.Stack;

/** Runs the probe's command in the service's container; exit code 0 passes. */
final class ExecProbe implements Probe {
    private static final int MAX_OUTPUT = 2000;

    private final ProbeSpec.Exec spec;
    private final Stack stack;
    private final DockerHost docker;

    ExecProbe(ProbeSpec.Exec spec, Stack stack, DockerHost docker) {
        this.spec = spec;
        this.stack = stack;
        this.docker = docker;
    }

    @Override
    public ProbeResult run() {
        StringBuilder out = new StringBuilder();
        try {
            int code = docker.exec(stack.load(), spec.service(), spec.command(), text -> {
                if (out.length() < MAX_OUTPUT) out.append(text);
            }, spec.timeout());
            String text = String.join(" ", spec.command()) + " -> exit " + code + (out.isEmpty() ? "" : "\n" + out.toString().strip());
            return code == 0 ? ProbeResult.pass(text) : ProbeResult.fail(text);
        } catch (RuntimeException e) {
            return ProbeResult.fail(String.join(" ", spec.command()) + " could not run: " + e.getMessage());
        }
    }
}
