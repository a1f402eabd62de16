package dev.opsbot.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * CPU time a process used (user + system, from /proc/PID/stat), to tell how much work a
 * measurement cost each party on a shared machine where wall-clock times also depend on
 * everything else that runs.
 */
final class CpuMeter {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    private CpuMeter() {
    }

    /** CPU seconds used so far by the process, or NaN when it cannot be read. */
    static double seconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields 14 and 15 of stat (utime, stime) are 12 and 13 after the command name
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** CPU seconds used so far by each thread of the process, summed by name (digits as N); empty when unreadable. */
    static Map<String, Double> threads(long pid) {
        Map<String, Double> out = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip().replaceAll("\\d+", "N");
                    String stat = Files.readString(task.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    out.merge(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND, Double::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return out;
    }

    static double self() {
        return seconds(ProcessHandle.current().pid());
    }

    /** The Docker daemon's pid, when it runs on this machine. */
    static Optional<Long> dockerd() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/dockerd")).orElse(false))
                .map(ProcessHandle::pid).findFirst();
    }

    /** The sum over the daemon and its containerd (which runs the containers' processes). */
    static double docker() {
        double total = 0;
        for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
            String c = p.info().command().orElse("");
            if (c.endsWith("/dockerd") || c.endsWith("/containerd")) total += seconds(p.pid());
        }
        return total;
    }
}
