package org.rnn4j.util;

import java.util.SplittableRandom;

/**
 * A seeded random source passed down from the model, never a global: the same seed gives the
 * same weights, shuffles and dropout masks whatever the thread timing.
 */
public final class Rng {
    private final SplittableRandom random;

    public Rng(long seed) {
        this.random = new SplittableRandom(seed);
    }

    private Rng(SplittableRandom random) {
        this.random = random;
    }

    /** An independent stream derived deterministically from this one. */
    public Rng split() {
        return new Rng(random.split());
    }

    public float uniform(float low, float high) {
        return (float) (low + (high - low) * random.nextDouble());
    }

    public double nextDouble() {
        return random.nextDouble();
    }

    public double normal() {
        return random.nextGaussian();
    }

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    public long nextLong() {
        return random.nextLong();
    }

    /** Fisher-Yates permutation of {@code 0..n-1}. */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
