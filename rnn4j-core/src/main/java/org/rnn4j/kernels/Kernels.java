package org.rnn4j.kernels;

/**
 * Chooses the kernel implementations once per JVM: the Vector API versions when
 * {@code jdk.incubator.vector} is present (and not disabled with {@code -Drnn4j.kernels=scalar}),
 * else the scalar references.
 */
public final class Kernels {
    private static final MatMul MATMUL = chooseMatMul();

    private Kernels() {
    }

    public static MatMul matmul() {
        return MATMUL;
    }

    public static MatMul scalarMatmul() {
        return new ScalarMatMul();
    }

    private static MatMul chooseMatMul() {
        if ("scalar".equalsIgnoreCase(System.getProperty("rnn4j.kernels"))) {
            return new ScalarMatMul();
        }
        try {
            // Loaded reflectively so this class links without the incubator module.
            Class<?> c = Class.forName("org.rnn4j.kernels.vector.VectorMatMul");
            return (MatMul) c.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return new ScalarMatMul();
        }
    }
}
