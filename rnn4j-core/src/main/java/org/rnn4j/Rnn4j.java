package org.rnn4j;

/**
 * Library-wide settings. {@link #setSeed} is Keras's {@code keras.utils.set_random_seed}: models
 * created afterwards draw their seeds from it, so a whole program is reproducible.
 */
public final class Rnn4j {
    private static java.util.SplittableRandom seeds = new java.util.SplittableRandom();

    private Rnn4j() {
    }

    public static synchronized void setSeed(long seed) {
        seeds = new java.util.SplittableRandom(seed);
    }

    /** Keras's {@code clear_session()}: resets the per-JVM layer and model name counters. */
    public static void clearSession() {
        org.rnn4j.util.Names.reset();
    }

    /**
     * Which kernels this JVM runs: {@code "vector (...)"} when {@code jdk.incubator.vector} is
     * enabled ({@code --add-modules jdk.incubator.vector}), else {@code "scalar (...)"} with the
     * reason. Without the module rnn4j also logs one warning (System.Logger "org.rnn4j") at first use.
     */
    public static String kernels() {
        return org.rnn4j.kernels.Kernels.describe();
    }

    /** The seed for the next model that was not given one explicitly. */
    public static synchronized long nextSeed() {
        return seeds.nextLong();
    }
}
