package org.rnn4j.util;

/**
 * A counter-based random stream: the value at a key (for example {@code (seed, epoch, sampleIndex)})
 * is a pure function of that key, hashed with SplitMix64. Whoever asks, in whatever order, on
 * whichever machine, gets the same numbers for the same key: what a data-parallel trainer needs so
 * that shuffles (and, once wired, dropout masks) do not depend on how the work was split.
 */
public final class KeyedRandom {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private KeyedRandom() {
    }

    /** SplitMix64's finalizer (Stafford's Mix13): a bijection of 64-bit values. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A 64-bit hash of a key: each component is folded in with a SplitMix64 step. */
    public static long hash(long... key) {
        long h = 0x6A09E667F3BCC909L ^ key.length;
        for (long k : key) {
            h = mix(h + GOLDEN + mix(k + GOLDEN));
        }
        return h;
    }

    /** The {@code counter}-th 64-bit value of the stream keyed by {@code key}. */
    public static long at(long streamKey, long counter) {
        return mix(streamKey + (counter + 1) * GOLDEN);
    }

    /** A uniform double in {@code [0, 1)} at {@code (streamKey, counter)}. */
    public static double uniform(long streamKey, long counter) {
        return (at(streamKey, counter) >>> 11) * 0x1.0p-53;
    }

    /** An independent seeded {@link Rng} for a key (e.g. the dropout stream of one sample). */
    public static Rng rng(long... key) {
        return new Rng(hash(key));
    }

    /**
     * A permutation of {@code 0..n-1} determined by the key alone (Fisher-Yates driven by the
     * stream {@code hash(key)}): the shuffle of epoch {@code e} is {@code permutation(n, seed, e)}.
     */
    public static int[] permutation(int n, long... key) {
        long stream = hash(key);
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = boundedAt(stream, i, i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** An unbiased int in {@code [0, bound)} from the stream at {@code counter} (rejection on a sub-stream). */
    public static int boundedAt(long streamKey, long counter, int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be > 0, got " + bound);
        }
        long limit = (1L << 32) - ((1L << 32) % bound);
        long sub = hash(streamKey, counter);
        for (long k = 0; ; k++) {
            long r = at(sub, k) >>> 32;
            if (r < limit) {
                return (int) (r % bound);
            }
        }
    }
}
