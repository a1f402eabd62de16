package dev.opsbot.core.testing;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Properties checked on generated inputs: {@code tries} inputs, each drawn from its own seeded
 * {@link Random}, handed to the property; the first input it rejects (an assertion or any other
 * exception) is made smaller where a way to shrink it is given, and reported with the run's seed.
 * The seed is random per run, so every run tries new inputs; {@code -Dopsbot.seed=N} brings a
 * failing run back exactly.
 */
public final class Tries {
    /** How many smaller inputs a failure may try before it is reported as it is. */
    private static final int SHRINK_BUDGET = 2_000;
    private static final long SEED = Long.getLong("opsbot.seed", new SecureRandom().nextLong());

    private Tries() {
    }

    /** The seed of this run, named by every failure. */
    public static long seed() {
        return SEED;
    }

    /** Checks {@code property} on {@code tries} generated inputs. */
    public static <T> void check(int tries, Function<Random, T> generate, Consumer<T> property) {
        check(tries, generate, t -> List.of(), property);
    }

    /**
     * Checks {@code property} on {@code tries} generated inputs; {@code smaller} offers simpler
     * inputs than a failing one (tried in order, the first that still fails is kept).
     */
    public static <T> void check(int tries, Function<Random, T> generate, Function<T, List<T>> smaller, Consumer<T> property) {
        for (int i = 0; i < tries; i++) {
            T input = generate.apply(new Random(SEED ^ (i * 0x9E3779B97F4A7C15L)));
            Throwable failure = failure(property, input);
            if (failure == null) continue;
            T least = input;
            int budget = SHRINK_BUDGET;
            boolean shrunk = true;
            while (shrunk && budget > 0) {
                shrunk = false;
                for (T candidate : smaller.apply(least)) {
                    if (--budget < 0) break;
                    Throwable f = failure(property, candidate);
                    if (f != null) {
                        least = candidate;
                        failure = f;
                        shrunk = true;
                        break;
                    }
                }
            }
            throw new AssertionError("property failed at try " + (i + 1) + " of " + tries + " (seed " + SEED
                    + "; -Dopsbot.seed=" + SEED + " repeats the run) on\n  " + show(least) + "\n" + failure, failure);
        }
    }

    private static <T> Throwable failure(Consumer<T> property, T input) {
        try {
            property.accept(input);
            return null;
        } catch (Throwable e) {
            if (e instanceof VirtualMachineError v) throw v;
            return e;
        }
    }

    /** Texts shorter than {@code text}: halves, quarters, … down to single characters taken out. */
    public static List<String> shorter(String text) {
        List<String> out = new ArrayList<>();
        for (int size = text.length() / 2; size >= 1; size /= 2) {
            for (int at = 0; at + size <= text.length(); at += size) {
                out.add(text.substring(0, at) + text.substring(at + size));
            }
        }
        return out;
    }

    /** A text with what a terminal would hide or mangle written as escapes. */
    public static String show(Object input) {
        String text = String.valueOf(input);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                out.append("\\n");
            } else if (c >= 0x20 && c < 0x7f) {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }
}
