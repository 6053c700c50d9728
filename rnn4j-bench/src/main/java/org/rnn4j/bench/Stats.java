package org.rnn4j.bench;

import java.util.Arrays;

/** Order statistics of timings, computed as the peers' scripts do (median; nearest-rank percentiles). */
final class Stats {
    private Stats() {
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    static double min(double[] xs) {
        return Arrays.stream(xs).min().orElse(Double.NaN);
    }

    static double max(double[] xs) {
        return Arrays.stream(xs).max().orElse(Double.NaN);
    }

    static double mean(double[] xs) {
        return Arrays.stream(xs).average().orElse(Double.NaN);
    }

    /** Nearest-rank percentile, p in (0, 1]: the torch script's {@code ts[ceil(p*n)-1]}. */
    static double percentile(double[] xs, double p) {
        double[] s = xs.clone();
        Arrays.sort(s);
        int i = (int) Math.ceil(p * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, i))];
    }

    static double round(double x, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(x * f) / f;
    }
}
