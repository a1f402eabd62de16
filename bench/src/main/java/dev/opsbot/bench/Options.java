package dev.opsbot.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How long and how often to measure. {@code --quick} shortens everything to a few seconds for
 * trying the harness; the published figures come from a full run.
 */
record Options(boolean quick, int runs, List<String> only, boolean write, Path report, int ackSeconds, int floodLines,
               int[] ackRates, List<String> paths, String baseline, int soakMinutes) {

    /** The scenarios of a full run, in order. */
    static final List<String> ALL = List.of("startup", "acks", "relay", "deploy", "alerts", "image", "failover");
    /** The ways commands reach the bot in the command load ({@link InboundPath#id}). */
    static final List<String> PATHS = List.of("http", "socket", "discord");
    /** Every scenario: the full run's, and the soak and the faults sweep, which run only when named ({@code --only soak}). */
    static final List<String> KNOWN = List.of("startup", "acks", "relay", "deploy", "alerts", "image", "failover", "soak", "faults");

    static Options parse(String[] args, Path repo) {
        boolean quick = false;
        Integer runs = null;
        List<String> only = new ArrayList<>(ALL);
        boolean write = true;
        Path report = repo.resolve("docs/performance.md");
        Integer ackSeconds = null;
        Integer floodLines = null;
        boolean reportGiven = false;
        int[] rates = {50, 200, 500};
        List<String> paths = PATHS;
        String baseline = null;
        int soakMinutes = 30;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--runs" -> runs = Integer.parseInt(value(args, ++i));
                case "--only" -> {
                    only = List.of(value(args, ++i).split(","));
                    for (String s : only) {
                        if (!KNOWN.contains(s)) throw new IllegalArgumentException("unknown scenario " + s + " (known: " + KNOWN + ")");
                    }
                }
                case "--no-write" -> write = false;
                case "--report" -> {
                    report = Path.of(value(args, ++i));
                    reportGiven = true;
                }
                case "--ack-seconds" -> ackSeconds = Integer.parseInt(value(args, ++i));
                case "--lines" -> floodLines = Integer.parseInt(value(args, ++i));
                case "--rates" -> rates = Arrays.stream(value(args, ++i).split(",")).mapToInt(Integer::parseInt).toArray();
                case "--paths" -> {
                    paths = List.of(value(args, ++i).split(","));
                    for (String p : paths) {
                        if (!PATHS.contains(p)) throw new IllegalArgumentException("unknown path " + p + " (known: " + PATHS + ")");
                    }
                }
                case "--baseline" -> baseline = value(args, ++i);
                case "--minutes" -> soakMinutes = Integer.parseInt(value(args, ++i));
                case "-h", "--help" -> throw new IllegalArgumentException("help");
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        // A partial or quick run prints its figures but does not replace the published ones.
        boolean partial = quick || !only.equals(ALL) || rates.length != 3 || paths.size() < PATHS.size() || baseline != null;
        return new Options(quick, runs != null ? runs : quick ? 1 : 5, only,
                write && (!partial || reportGiven), report, ackSeconds != null ? ackSeconds : quick ? 3 : 30,
                floodLines != null ? floodLines : quick ? 100_000 : 1_000_000, rates, paths, baseline, soakMinutes);
    }

    /** Runs for scenarios whose single run is long (the command load): fewer, but at least one. */
    int longRuns() {
        return quick ? 1 : Math.max(1, Math.min(runs, 3));
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) throw new IllegalArgumentException(args[i - 1] + " needs a value");
        return args[i];
    }

    static final String USAGE = """
            usage: bench/run [--quick] [--only startup,acks,relay,deploy,alerts,image,failover,soak,faults] [--runs N] [--no-write]
                       [--paths http,socket,discord] [--baseline REV] [--minutes N]
              --quick         a few seconds per scenario, one run, nothing written (to try the harness)
              --only LIST     these scenarios only (soak, and faults (the bot stopped at every step), run only when named here)
              --runs N        runs per figure (default 5; the command load does at most 3 of 30 s)
              --no-write      print the figures, leave docs/performance.md alone
              --report FILE   write the report there (a quick or partial run writes only when given one)
              --ack-seconds S seconds per rate of the command load (default 30)
              --lines N       lines the relay scenario's container prints (default 1000000)
              --rates LIST    request rates of the command load (default 50,200,500)
              --paths LIST    how the command load reaches the bot: http (Slack HTTP mode), socket (Slack
                              Socket Mode), discord (Discord interactions); default all three
              --baseline REV  also build revision REV (a git worktree in a temporary folder, removed after)
                              and put it under the same load in the same run, over Slack HTTP mode
              --minutes N     how long the soak runs (default 30)""";
}
