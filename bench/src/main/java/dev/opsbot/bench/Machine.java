package dev.opsbot.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/** What the figures were measured on. */
record Machine(int cores, String cpu, long memoryMiB, String os, String kernel, String java, String dockerEngine,
               String dockerCompose, String loadAtStart, Instant when) {

    static Machine describe(String dockerEngine) {
        return new Machine(
                Runtime.getRuntime().availableProcessors(),
                firstValue(Path.of("/proc/cpuinfo"), "model name").orElse("unknown CPU"),
                firstValue(Path.of("/proc/meminfo"), "MemTotal").map(v -> Long.parseLong(v.replaceAll("\\D", "")) / 1024).orElse(0L),
                osName(),
                read(Path.of("/proc/sys/kernel/osrelease")).orElse("?"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                dockerEngine,
                Commands.firstLine(List.of("docker-compose", "version", "--short")).orElse("not installed"),
                read(Path.of("/proc/loadavg")).map(s -> String.join(" ", List.of(s.split(" ")).subList(0, 3))).orElse("?"),
                Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    /** Load average now, to tell whether something else was using the machine. */
    static String loadNow() {
        return read(Path.of("/proc/loadavg")).map(s -> String.join(" ", List.of(s.split(" ")).subList(0, 3))).orElse("?");
    }

    String oneLine() {
        return cores + " cores (" + cpu + "), " + memoryMiB + " MiB memory, Docker Engine " + dockerEngine
                + ", docker-compose " + dockerCompose + ", " + os + ", kernel " + kernel + ", " + java;
    }

    private static String osName() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) return line.substring(12).replace("\"", "");
            }
        } catch (IOException e) {
            // unknown
        }
        return System.getProperty("os.name");
    }

    private static Optional<String> firstValue(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key)) return Optional.of(line.substring(line.indexOf(':') + 1).strip());
            }
        } catch (IOException e) {
            // not Linux
        }
        return Optional.empty();
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
