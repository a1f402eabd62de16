package dev.opsbot.bench;

import java.util.Arrays;
import java.util.List;

/** Percentiles of one run's samples, and the median, min and max of a figure over runs. */
final class Stats {
    private Stats() {
    }

    /** The nearest-rank percentile {@code p} (0-100) of samples that are already sorted. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) return Double.NaN;
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    static double[] sorted(List<Double> values) {
        double[] a = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a;
    }

    /** The median of an odd or even number of values (the mean of the middle two). */
    static double median(List<Double> values) {
        double[] a = sorted(values);
        if (a.length == 0) return Double.NaN;
        int m = a.length / 2;
        return a.length % 2 == 1 ? a[m] : (a[m - 1] + a[m]) / 2;
    }

    static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
