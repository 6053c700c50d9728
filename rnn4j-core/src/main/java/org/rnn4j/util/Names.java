package org.rnn4j.util;

import java.util.HashMap;
import java.util.Map;

/**
 * Keras-style unique names per JVM: {@code dense}, {@code dense_1}, ... The only static mutable
 * state in the library, as in Keras.
 */
public final class Names {
    private static final Map<String, Integer> COUNTS = new HashMap<>();

    private Names() {
    }

    /** Depth of {@link #withoutCounting} calls on this thread. */
    private static final ThreadLocal<int[]> PAUSED = ThreadLocal.withInitial(() -> new int[1]);

    /** An action that may throw a checked exception. */
    @FunctionalInterface
    public interface Action<T, E extends Exception> {
        T run() throws E;
    }

    /**
     * Runs {@code action} without advancing the counters on this thread: layers rebuilt from a saved
     * file get their saved names, and (as in Keras) loading must not rename the user's next layers.
     */
    public static <T, E extends Exception> T withoutCounting(Action<T, E> action) throws E {
        int[] depth = PAUSED.get();
        depth[0]++;
        try {
            return action.run();
        } finally {
            depth[0]--;
        }
    }

    public static synchronized String next(String base) {
        if (PAUSED.get()[0] > 0) {
            return base;
        }
        int n = COUNTS.getOrDefault(base, 0);
        COUNTS.put(base, n + 1);
        return n == 0 ? base : base + "_" + n;
    }

    /** Forgets all counters (Keras's {@code clear_session}): the next layer is {@code dense} again. */
    public static synchronized void reset() {
        COUNTS.clear();
    }

    /** Keras's {@code to_snake_case}: {@code SimpleRNN -> simple_rnn}, {@code Conv2D -> conv2d}. */
    public static String snakeCase(String className) {
        String s = className.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
        s = s.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
        return s;
    }

    /** Closest candidate by edit distance, for "Did you mean ...?" messages. */
    public static String closest(String wanted, Iterable<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String w = wanted.toLowerCase(java.util.Locale.ROOT);
        for (String c : candidates) {
            int d = editDistance(w, c.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best;
    }

    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** An IllegalArgumentException for an unknown identifier, with a suggestion and the list. */
    public static IllegalArgumentException unknown(String kind, String wanted, java.util.Collection<String> valid) {
        String best = closest(wanted, valid);
        return new IllegalArgumentException("Unknown " + kind + " '" + wanted + "'. Did you mean '" + best
                + "'? Valid " + kind + " names: " + String.join(", ", new java.util.TreeSet<>(valid)));
    }
}
