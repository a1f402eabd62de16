package dev.opsbot.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every figure of a benchmark run, in the order measured, with notes and scenarios not run. */
final class Results {
    final List<Figure> figures = new ArrayList<>();
    final Map<String, List<String>> notes = new LinkedHashMap<>();
    final Map<String, String> unavailable = new LinkedHashMap<>();
    final Map<String, Double> seconds = new LinkedHashMap<>();

    Figure figure(String scenario, String name, String unit) {
        return add(new Figure(scenario, name, unit));
    }

    Figure figure(String scenario, String name, String unit, String target, java.util.function.DoublePredicate meets) {
        return add(new Figure(scenario, name, unit, target, meets));
    }

    private Figure add(Figure f) {
        figures.add(f);
        return f;
    }

    void note(String scenario, String text) {
        notes.computeIfAbsent(scenario, k -> new ArrayList<>()).add(text);
    }

    List<Figure> of(String scenario) {
        return figures.stream().filter(f -> f.scenario.equals(scenario)).toList();
    }
}
