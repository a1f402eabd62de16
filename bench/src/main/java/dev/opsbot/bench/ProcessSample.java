package dev.opsbot.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What a process holds at one moment, read from /proc: resident memory, threads, open file
 * descriptors; and what its data folder holds: the H2 database file and the run logs.
 */
record ProcessSample(double minutes, double rssMiB, int threads, int openFiles, double databaseMiB, int runLogs, double runLogsMiB) {

    static ProcessSample of(long pid, Path data, double minutes) throws IOException {
        double rss = 0;
        int threads = 0;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) rss = Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            if (line.startsWith("Threads:")) threads = Integer.parseInt(line.replaceAll("\\D", ""));
        }
        int fds;
        try (Stream<Path> open = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            fds = (int) open.count();
        }
        Path db = data.resolve("opsbot.mv.db");
        double dbMiB = Files.exists(db) ? Files.size(db) / 1048576.0 : 0;
        List<Path> logs;
        Path logDir = data.resolve("logs");
        if (Files.isDirectory(logDir)) {
            try (Stream<Path> files = Files.list(logDir)) {
                logs = files.filter(f -> f.getFileName().toString().matches("run-[0-9]+\\.log")).toList();
            }
        } else {
            logs = List.of();
        }
        long logBytes = 0;
        for (Path log : logs) {
            try {
                logBytes += Files.size(log);
            } catch (IOException gone) {
                // removed by the retention job meanwhile
            }
        }
        return new ProcessSample(minutes, rss, threads, fds, dbMiB, logs.size(), logBytes / 1048576.0);
    }

    static String header() {
        return "| minute | resident memory (MiB) | threads | open files | database file (MiB) | run logs | run logs (MiB) |\n"
                + "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |";
    }

    String row() {
        return String.format(Locale.ROOT, "| %.0f | %.0f | %d | %d | %.2f | %d | %.2f |", minutes, rssMiB, threads, openFiles, databaseMiB,
                runLogs, runLogsMiB);
    }
}
