package dev.opsbot.core.dockerjava;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which process of this machine listens on a TCP port, read from Linux's /proc: the listening
 * socket's inode in /proc/net/tcp and tcp6, then the process holding that inode among its file
 * descriptors. Empty where /proc says nothing (another OS, another network namespace, a process
 * this user may not look into): the caller then says less, never something false.
 */
final class ListeningProcesses {
    private static final String LISTEN = "0A";
    private final Path proc;

    ListeningProcesses() {
        this(Path.of("/proc"));
    }

    ListeningProcesses(Path proc) {
        this.proc = proc;
    }

    /** "process 4242 (nginx)", "a process of this machine" when the socket is seen but not its owner, or empty. */
    Optional<String> on(int port) {
        Optional<String> inode = listeningInode(port);
        if (inode.isEmpty()) return Optional.empty();
        return Optional.of(owner("socket:[" + inode.get() + "]").orElse("a process of this machine"));
    }

    /** This machine's host name, as its kernel has it. */
    Optional<String> hostName() {
        try {
            return Optional.of(Files.readString(proc.resolve("sys/kernel/hostname")).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Optional<String> listeningInode(int port) {
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        for (String table : List.of("net/tcp", "net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(proc.resolve(table));
            } catch (IOException e) {
                continue;
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[1].endsWith(hexPort) && LISTEN.equals(f[3])) return Optional.of(f[9]);
            }
        }
        return Optional.empty();
    }

    private Optional<String> owner(String socket) {
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path process : processes) {
                if (holds(process, socket)) return Optional.of("process " + process.getFileName() + " (" + command(process) + ")");
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static boolean holds(Path process, String socket) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    if (socket.equals(Files.readSymbolicLink(fd).toString())) return true;
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException | SecurityException e) {
            // gone, or not ours to look into
        }
        return false;
    }

    private static String command(Path process) {
        try {
            return Files.readString(process.resolve("comm")).strip();
        } catch (IOException e) {
            return "?";
        }
    }
}
