package dev.opsbot.core.runbook;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The fields a step kind accepts, and which of them a runbook must give. Required fields are
 * checked in the order given, so the first missing one is the one reported.
 */
public record StepFields(List<String> required, List<String> optional) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

    public StepFields {
        required = List.copyOf(required);
        optional = List.copyOf(optional);
        Set<String> seen = new HashSet<>();
        for (String name : concat(required, optional)) {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("field '" + name + "' is not lower case letters, digits and dashes");
            }
            if (!seen.add(name)) throw new IllegalArgumentException("field '" + name + "' is declared twice");
        }
    }

    /** A step without fields ({@code ps: {}}). */
    public static StepFields none() {
        return new StepFields(List.of(), List.of());
    }

    public static StepFields required(String... names) {
        return new StepFields(List.of(names), List.of());
    }

    public static StepFields optional(String... names) {
        return new StepFields(List.of(), List.of(names));
    }

    /** These fields, and {@code names} as optional ones. */
    public StepFields withOptional(String... names) {
        return new StepFields(required, concat(optional, List.of(names)));
    }

    /** Every field a runbook may give, required ones first. */
    public Set<String> accepted() {
        return new LinkedHashSet<>(concat(required, optional));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
