package dev.opsbot.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoublePredicate;

/**
 * One reported number: a value per run, summarised as the median with min and max. A target,
 * when there is one, is checked against the median.
 */
final class Figure {
    final String scenario;
    final String name;
    final String unit;
    final List<Double> runs = new ArrayList<>();
    private final String target;
    private final DoublePredicate meets;

    Figure(String scenario, String name, String unit, String target, DoublePredicate meets) {
        this.scenario = scenario;
        this.name = name;
        this.unit = unit;
        this.target = target;
        this.meets = meets;
    }

    Figure(String scenario, String name, String unit) {
        this(scenario, name, unit, null, null);
    }

    Figure add(double value) {
        runs.add(value);
        return this;
    }

    double median() {
        return Stats.median(runs);
    }

    boolean hasTarget() {
        return target != null;
    }

    String target() {
        return target;
    }

    /** Whether the median meets the target (true when there is none). */
    boolean met() {
        return meets == null || !runs.isEmpty() && meets.test(median());
    }

    String verdict() {
        if (!hasTarget()) return "";
        if (runs.isEmpty()) return "not measured";
        return met() ? "met" : "MISSED";
    }

    /** The median, and min–max when there was more than one run. */
    String summary() {
        if (runs.isEmpty()) return "-";
        String median = format(median());
        if (runs.size() == 1) return median + " " + unit + " (1 run)";
        return median + " " + unit + " (min " + format(Stats.min(runs)) + ", max " + format(Stats.max(runs))
                + "; " + runs.size() + " runs)";
    }

    /** The line printed for this figure. */
    String line() {
        String t = hasTarget() ? "  [target " + target + ": " + verdict() + "]" : "";
        return String.format(Locale.ROOT, "%-9s %-52s %s%s", scenario, name, summary(), t);
    }

    static String format(double v) {
        if (Double.isNaN(v)) return "n/a";
        double a = Math.abs(v);
        if (a == Math.rint(a) && a < 1e15) return String.format(Locale.ROOT, "%,.0f", v);
        if (a >= 100) return String.format(Locale.ROOT, "%,.0f", v);
        if (a >= 10) return String.format(Locale.ROOT, "%.1f", v);
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
