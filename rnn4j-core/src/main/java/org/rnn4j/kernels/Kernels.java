package org.rnn4j.kernels;

import org.rnn4j.activations.Activation;

/**
 * Chooses the kernel implementations once per JVM: the Vector API versions when
 * {@code jdk.incubator.vector} is present (and not disabled with {@code -Drnn4j.kernels=scalar}),
 * else the scalar references.
 */
public final class Kernels {
    private static final MatMul MATMUL = chooseMatMul();
    private static final boolean VECTOR = MATMUL.name().startsWith("vector");

    static {
        // Last in the initializer: the warm-up calls back into this class (same thread, so the
        // fields above are already set).
        long warmup = Long.getLong("rnn4j.warmup", 0L);
        if (warmup > 0 && VECTOR) {
            WarmUp.run(warmup);
        }
    }

    private Kernels() {
    }

    public static MatMul matmul() {
        return MATMUL;
    }

    public static MatMul scalarMatmul() {
        return new ScalarMatMul();
    }

    /**
     * The fastest implementation of {@code a} with the same results (within float rounding): a
     * Vector API version for sigmoid, tanh, relu and linear when available, else {@code a}.
     * Cheap enough to call per time step; layers may also resolve it once when built.
     */
    public static Activation activation(Activation a) {
        if (!VECTOR) {
            return a;
        }
        Activation v = VectorActivationsHolder.of(a);
        return v != null ? v : a;
    }

    /**
     * The fused LSTM step for {@code act}/{@code rec} as the layer resolved them (tanh and
     * sigmoid only, else null: the layer keeps its generic path): the Vector API version when
     * both are the vector activations {@link #activation} returns, else the scalar reference (so
     * a layer pinned to the scalar activations also runs the scalar gate kernel).
     */
    public static LstmStep lstmStep(Activation act, Activation rec) {
        if (!"tanh".equals(act.name()) || !"sigmoid".equals(rec.name())) {
            return null;
        }
        if (VECTOR && activation(act) == act && activation(rec) == rec) {
            LstmStep v = VectorActivationsHolder.lstmStep();
            if (v != null) {
                return v;
            }
        }
        return ScalarLstmStep.INSTANCE;
    }

    /**
     * The fused GRU step (reset_after=True) for {@code act}/{@code rec} as the layer resolved
     * them; same rules as {@link #lstmStep}.
     */
    public static GruStep gruStep(Activation act, Activation rec) {
        if (!"tanh".equals(act.name()) || !"sigmoid".equals(rec.name())) {
            return null;
        }
        if (VECTOR && activation(act) == act && activation(rec) == rec) {
            GruStep v = VectorActivationsHolder.gruStep();
            if (v != null) {
                return v;
            }
        }
        return ScalarGruStep.INSTANCE;
    }

    /**
     * Runs {@code body.accept(i)} for every i in [0, n), spread over the kernel threads when
     * there are several (coarse tasks: the two directions of a Bidirectional, the filter blocks
     * of a convolution), and returns when all are done. Kernel calls made inside a task stay on
     * the task's thread. The tasks must write disjoint outputs; then results never depend on the
     * thread count or on which thread ran which task. With the scalar kernels they run in order.
     */
    public static void runTasks(int n, java.util.function.IntConsumer body) {
        if (VECTOR && n > 1) {
            VectorActivationsHolder.runTasks(n, body);
            return;
        }
        for (int i = 0; i < n; i++) {
            body.accept(i);
        }
    }

    /** Kernel threads available to {@link #runTasks} (1 with the scalar kernels). */
    public static int taskThreads() {
        return VECTOR ? VectorActivationsHolder.poolThreads() : 1;
    }

    /** Kept in its own class so Kernels links without the incubator module. */
    private static final class VectorActivationsHolder {
        static void runTasks(int n, java.util.function.IntConsumer body) {
            org.rnn4j.kernels.vector.VectorMatMul.runTasks(n, body);
        }

        static int poolThreads() {
            return org.rnn4j.kernels.vector.VectorMatMul.poolThreads();
        }

        static GruStep gruStep() {
            try {
                return org.rnn4j.kernels.vector.VectorGruStep.INSTANCE;
            } catch (LinkageError e) {
                return null;
            }
        }

        static LstmStep lstmStep() {
            try {
                return org.rnn4j.kernels.vector.VectorLstmStep.INSTANCE;
            } catch (LinkageError e) {
                return null;
            }
        }

        static Activation of(Activation a) {
            try {
                return org.rnn4j.kernels.vector.VectorActivations.of(a);
            } catch (LinkageError e) {
                return null;
            }
        }
    }

    /** The JVM flag that enables the Vector API kernels. */
    public static final String VECTOR_FLAG = "--add-modules jdk.incubator.vector";

    /**
     * Which kernels run: {@code "vector (...)"} or {@code "scalar (...)"} with the reason, e.g.
     * {@code "scalar (jdk.incubator.vector is not enabled: start java with --add-modules jdk.incubator.vector)"}.
     */
    public static String describe() {
        if (VECTOR) {
            return "vector (" + MATMUL.name() + ", jdk.incubator.vector)";
        }
        return "scalar (" + (scalarRequested() ? "-Drnn4j.kernels=scalar" : vectorModuleAbsent()
                ? "jdk.incubator.vector is not enabled: start java with " + VECTOR_FLAG
                : "the Vector API kernels failed to load") + ")";
    }

    private static boolean scalarRequested() {
        return "scalar".equalsIgnoreCase(System.getProperty("rnn4j.kernels"));
    }

    private static boolean vectorModuleAbsent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty();
    }

    private static MatMul chooseMatMul() {
        if (scalarRequested()) {
            return new ScalarMatMul();
        }
        try {
            // Loaded reflectively so this class links without the incubator module.
            Class<?> c = Class.forName("org.rnn4j.kernels.vector.VectorMatMul");
            return (MatMul) c.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            // Not silent: once per JVM (this runs in the static initializer, at the first kernel use).
            System.getLogger("org.rnn4j").log(System.Logger.Level.WARNING, vectorModuleAbsent()
                    ? "rnn4j: the Vector API module is not enabled, so rnn4j runs its scalar kernels (several times"
                            + " slower); start java with " + VECTOR_FLAG
                    : "rnn4j: the Vector API kernels failed to load (" + e + "); running the scalar kernels");
            return new ScalarMatMul();
        }
    }
}
