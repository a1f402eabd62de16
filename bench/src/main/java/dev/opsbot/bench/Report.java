package dev.opsbot.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * docs/performance.md: the machine, every figure with its target, and how each was measured.
 * Sections written by hand ({@link #KEPT}) are carried over from the file being replaced, after
 * their scenario's section.
 */
final class Report {
    /** Hand-written sections kept when the file is written again, by the scenario they follow. */
    private static final Map<String, String> KEPT = Map.of("acks", "## Where a command's CPU goes");

    private static final List<String[]> SCENARIOS = List.of(
            new String[] {"startup", "Start-up and idle memory"},
            new String[] {"acks", "Command acknowledgement (Slack HTTP mode, Slack Socket Mode, Discord)"},
            new String[] {"relay", "Output relay"},
            new String[] {"deploy", "Deploy wall time against docker-compose"},
            new String[] {"alerts", "Alert latency"},
            new String[] {"failover", "Failover of two replicas"},
            new String[] {"soak", "Soak"});

    private final Machine machine;
    private final Options options;
    private final Results results;
    private final double seconds;
    private final String previous;

    /** @param previous the file this report replaces ("" when there is none) */
    Report(Machine machine, Options options, Results results, double seconds, String previous) {
        this.machine = machine;
        this.options = options;
        this.results = results;
        this.seconds = seconds;
        this.previous = previous;
    }

    /** The section of the previous file headed {@code heading}, up to the next section; "" when it has none. */
    private String kept(String heading) {
        int start = previous.indexOf(heading + "\n");
        if (start < 0) return "";
        int end = previous.indexOf("\n## ", start + heading.length());
        String section = end < 0 ? previous.substring(start) : previous.substring(start, end + 1);
        return section.endsWith("\n\n") ? section : section + "\n";
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Performance\n\n");
        md.append("Written by `bench/run` (the harness in [bench/](../bench/README.md)); run it again to measure your own machine.\n");
        md.append("Every figure is the median of ").append(options.runs()).append(" runs (the command load: ")
                .append(options.longRuns()).append(" runs of ").append(options.ackSeconds())
                .append(" s per rate), with the smallest and largest run beside it. Targets are checked against the median.\n\n");
        md.append("## Machine\n\n");
        md.append("| | |\n| --- | --- |\n");
        row(md, "measured", machine.when().toString());
        row(md, "cores", machine.cores() + " (" + machine.cpu() + ")");
        row(md, "memory", machine.memoryMiB() + " MiB");
        row(md, "Docker Engine", machine.dockerEngine());
        row(md, "docker-compose", machine.dockerCompose());
        row(md, "system", machine.os() + ", kernel " + machine.kernel());
        row(md, "Java", machine.java());
        row(md, "load average at start", machine.loadAtStart());
        row(md, "whole run", String.format(Locale.ROOT, "%.0f s", seconds));
        md.append('\n');
        md.append("## Targets\n\n");
        md.append("| scenario | figure | median (min – max) | target | |\n| --- | --- | --- | --- | --- |\n");
        for (Figure f : results.figures) {
            if (!f.hasTarget()) continue;
            md.append("| ").append(f.scenario).append(" | ").append(f.name).append(" | ").append(cell(f)).append(" | ")
                    .append(f.target()).append(" | ").append(f.verdict()).append(" |\n");
        }
        md.append('\n');
        for (String[] s : SCENARIOS) {
            String id = s[0];
            if (!options.only().contains(id)) continue;
            md.append("## ").append(s[1]).append("\n\n");
            if (results.unavailable.containsKey(id)) {
                md.append("Not measured: ").append(results.unavailable.get(id)).append("\n\n");
                continue;
            }
            md.append("| figure | median | min | max | runs |\n| --- | --- | --- | --- | --- |\n");
            for (Figure f : results.of(id)) {
                md.append("| ").append(f.name).append(f.unit.isEmpty() ? "" : " (" + f.unit + ")").append(" | ")
                        .append(Figure.format(f.median())).append(" | ").append(Figure.format(Stats.min(f.runs))).append(" | ")
                        .append(Figure.format(Stats.max(f.runs))).append(" | ").append(f.runs.size()).append(" |\n");
            }
            md.append('\n');
            for (String note : results.notes.getOrDefault(id, List.of())) md.append(note).append("\n\n");
            if (KEPT.containsKey(id)) md.append(kept(KEPT.get(id)));
        }
        return md.toString();
    }

    private static String cell(Figure f) {
        if (f.runs.isEmpty()) return "-";
        String unit = f.unit.isEmpty() ? "" : " " + f.unit;
        return Figure.format(f.median()) + unit + " (" + Figure.format(Stats.min(f.runs)) + " – " + Figure.format(Stats.max(f.runs)) + ")";
    }

    private static void row(StringBuilder md, String name, String value) {
        md.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }
}
