package org.rnn4j.kernels.vector;

import java.util.function.IntConsumer;
import org.rnn4j.kernels.MatMul;
import org.rnn4j.kernels.PackedMatrix;

/**
 * Matmul with the JDK Vector API: packed panels, a register-blocked MR x NR micro-kernel (8 x 32
 * floats with AVX-512, 6 x 16 with AVX2), and above a size threshold a fixed split of C between
 * the caller and the persistent workers of a {@link Pool} that any number of threads may use at
 * once. Results are bit-identical for any thread count and any concurrent callers (see
 * {@link Gemm}).
 *
 * <p>Threads: {@code -Drnn4j.threads=N} (default: available processors, at most 8).
 */
public final class VectorMatMul implements MatMul {
    /**
     * Below this many multiply-adds a call stays on the calling thread: the hand-off and the
     * shared caches cost more than the second core gains (measured: a W1 step gemm, 1 M FMAs,
     * was slower split; a W2 step gemm, 3 M, faster). {@code -Drnn4j.parallelMinFmas=N} changes it.
     */
    static final long PARALLEL_MIN_FMAS = Long.getLong("rnn4j.parallelMinFmas", 1L << 21);

    /** Below this many summed elements the column sums stay on the calling thread. */
    static final long PARALLEL_MIN_SUMS = Long.getLong("rnn4j.parallelMinSums", 1L << 17);

    /** Chunks of C per thread: small enough that an unscheduled worker's share is soon taken over. */
    static final int CHUNKS_PER_THREAD = 2;

    private static final Pool POOL = new Pool(defaultThreads());

    /** Each calling thread's job objects, reused by its every call (no allocation per call). */
    private static final ThreadLocal<Jobs> JOBS = ThreadLocal.withInitial(Jobs::new);

    private final Pool pool;
    private final int threads;
    /** This matmul with one thread (itself when single-threaded): {@link #singleThreaded()}. */
    private final VectorMatMul solo;

    public VectorMatMul() {
        this(POOL.threads());
    }

    /** A matmul that uses at most {@code threads} threads of the shared pool (1 = never splits). */
    public VectorMatMul(int threads) {
        this(POOL, threads);
    }

    /** For tests: a matmul on its own pool. */
    VectorMatMul(Pool pool, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.pool = pool;
        this.threads = Math.min(threads, pool.threads());
        this.solo = this.threads == 1 ? this : new VectorMatMul(pool, 1);
    }

    @Override
    public MatMul singleThreaded() {
        return solo;
    }

    /**
     * The parts on the caller and up to {@code threads - 1} pool workers, claimed dynamically (a
     * worker the OS has not scheduled costs nothing: the caller takes its parts), with no
     * synchronisation between parts until the last one finishes.
     */
    @Override
    public void forEachPart(int parts, IntConsumer part) {
        if (parts <= 1 || threads == 1) {
            for (int q = 0; q < parts; q++) {
                part.accept(q);
            }
            return;
        }
        pool.run((q, n, ws) -> part.accept(q), parts, Math.min(threads, parts) - 1);
    }

    private boolean parallel(int m, int n, int k) {
        return threads > 1 && (long) m * n * k >= PARALLEL_MIN_FMAS && (m >= 2 * Gemm.MR || n >= 2 * Gemm.NR)
                && !pool.insideTasks();
    }

    /**
     * Runs {@code body.accept(i)} for i in [0, n) on the shared pool's threads (see
     * {@link Pool#runTasks}): coarse tasks such as the two directions of a bidirectional RNN,
     * whose gemms then run single-threaded on the task's thread. Returns when all are done.
     */
    public static void runTasks(int n, java.util.function.IntConsumer body) {
        POOL.runTasks(n, body);
    }

    /** Threads of the shared pool (the caller included). */
    public static int poolThreads() {
        return POOL.threads();
    }

    private static final class Jobs {
        final GemmJob gemm = new GemmJob();
        final PackedJob packed = new PackedJob();
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc, boolean accumulate) {
        checkArgs(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (parallel(m, n, k)) {
            // The caller's own job object (thread-local): concurrent callers never share one.
            GemmJob job = JOBS.get().gemm;
            job.set(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            try {
                pool.run(job, CHUNKS_PER_THREAD * threads, threads - 1);
            } finally {
                job.clear();
            }
            return;
        }
        Gemm.run(pool.workspace(), transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc,
                accumulate);
    }

    @Override
    public void addColumnSums(int rows, int cols, float[] d, int dOff, int ld, float[] out, int outOff) {
        if (rows <= 0 || cols <= 0) {
            return;
        }
        checkOperand("d", d, dOff, ld, rows, cols);
        checkOperand("out", out, outOff, cols, 1, cols);
        int strips = (cols + ColumnSums.STRIP - 1) / ColumnSums.STRIP;
        if (threads == 1 || strips < 2 || (long) rows * cols < PARALLEL_MIN_SUMS || pool.insideTasks()) {
            ColumnSums.add(rows, cols, d, dOff, ld, out, outOff);
            return;
        }
        // Whole strips of columns per part: each column still adds its rows in order, so the bits
        // do not depend on the split (W2 training summed its [6400, 384] gate gradient on one core).
        int parts = Math.min(strips, CHUNKS_PER_THREAD * threads);
        pool.run((q, n, ws) -> {
            int from = (int) ((long) strips * q / n) * ColumnSums.STRIP;
            int to = Math.min(cols, (int) ((long) strips * (q + 1) / n) * ColumnSums.STRIP);
            if (to > from) {
                ColumnSums.add(rows, to - from, d, dOff + from, ld, out, outOff + from);
            }
        }, parts, Math.min(threads, parts) - 1);
    }

    @Override
    public PackedMatrix pack(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        VectorPacked p = new VectorPacked();
        p.repack(transB, k, n, b, bOff, ldb);
        return p;
    }

    @Override
    public void gemm(boolean transA, int m, int n, int k, float[] a, int aOff, int lda, PackedMatrix b,
                     float[] c, int cOff, int ldc, boolean accumulate) {
        b.checkShape(k, n);
        if (b instanceof VectorPacked && !b.transB() && m >= 1 && m <= Gemm.DIRECT_MAX_M && n >= Gemm.NR && k > 0) {
            // Few rows (small-batch recurrent steps): the panels with eight FMA chains (PanelRows),
            // the unpacked direct path's arithmetic. A B^T of few rows takes dot products instead.
            VectorPacked p = (VectorPacked) b;
            checkOperand("A", a, aOff, lda, transA ? k : m, transA ? m : k);
            checkOperand("C", c, cOff, ldc, m, n);
            p.ensurePacked();
            PanelRows.run(m, n, k, a, aOff, transA ? 1 : lda, transA ? lda : 1, p.panels(), p.nPad(),
                    c, cOff, ldc, accumulate, pool.workspace().tile());
            return;
        }
        if (!(b instanceof VectorPacked) || !usesPanels(transA, b.transB(), m, n, k)) {
            // A foreign handle, or a shape the unpacked call serves without packing B: same path.
            MatMul.super.gemm(transA, m, n, k, a, aOff, lda, b, c, cOff, ldc, accumulate);
            return;
        }
        VectorPacked p = (VectorPacked) b;
        checkOperand("A", a, aOff, lda, transA ? k : m, transA ? m : k);
        checkOperand("C", c, cOff, ldc, m, n);
        p.ensurePacked();
        if (parallel(m, n, k)) {
            PackedJob job = JOBS.get().packed;
            job.set(transA, m, n, k, a, aOff, lda, p, c, cOff, ldc, accumulate);
            try {
                pool.run(job, CHUNKS_PER_THREAD * threads, threads - 1);
            } finally {
                job.clear();
            }
            return;
        }
        Gemm.runPacked(pool.workspace(), transA, m, 0, n, k, a, aOff, lda, p.panels(), p.nPad(), c, cOff, ldc,
                accumulate);
    }

    /**
     * Whether the handle's panels serve this call (the same bits as the unpacked call): not for
     * empty sizes, the few-row direct path or the dot path. A small B (a recurrent kernel) also
     * goes through the panels: the unpacked call reads it in place with B's row stride, a
     * variable, so C2 keeps a range check on every B load of the micro-kernel; the panels' stride
     * is a constant (W1 training, one thread: 4.1 ms of CPU per step in place, 3.7 with panels).
     */
    private static boolean usesPanels(boolean transA, boolean transB, int m, int n, int k) {
        if (m <= 0 || n <= 0 || k <= 0) {
            return false;
        }
        if (m <= Gemm.DIRECT_MAX_M && !transB) {
            return false;
        }
        return !(transB && !transA && (n <= Gemm.DOT_MAX_N || m <= Gemm.DIRECT_MAX_M));
    }

    /** {@link #gemmInParts} for a packed B: the pool's partition, run on the calling thread. */
    static void gemmPackedInParts(int parts, boolean transA, int m, int n, int k, float[] a, int aOff, int lda,
                                  PackedMatrix b, float[] c, int cOff, int ldc, boolean accumulate) {
        b.checkShape(k, n);
        ((VectorPacked) b).ensurePacked();
        PackedJob j = new PackedJob();
        j.set(transA, m, n, k, a, aOff, lda, (VectorPacked) b, c, cOff, ldc, accumulate);
        Workspace ws = new Workspace();
        for (int q = 0; q < parts; q++) {
            j.run(q, parts, ws);
        }
    }

    /**
     * Runs the gemm as {@code parts} fixed parts one after another on the calling thread: the same
     * partition the pool uses, without threads, so tests can check partition independence on any
     * machine.
     */
    static void gemmInParts(int parts, boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float[] c, int cOff, int ldc, boolean accumulate) {
        GemmJob j = new GemmJob();
        j.set(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        Workspace ws = new Workspace();
        for (int q = 0; q < parts; q++) {
            j.run(q, parts, ws);
        }
    }

    @Override
    public String name() {
        return "vector-" + MicroKernel.S.vectorBitSize() + (threads > 1 ? "-t" + threads : "");
    }

    @Override
    public int threads() {
        return threads;
    }

    private static int defaultThreads() {
        String s = System.getProperty("rnn4j.threads");
        if (s != null) {
            try {
                return Math.max(1, Integer.parseInt(s.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("rnn4j.threads must be an integer, got '" + s + "'");
            }
        }
        return Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
    }

    private static void checkArgs(boolean transA, boolean transB, int m, int n, int k,
                                  float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                  float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm sizes must be >= 0, got m=" + m + " n=" + n + " k=" + k);
        }
        if (m == 0 || n == 0) {
            return;
        }
        checkOperand("A", a, aOff, lda, transA ? k : m, transA ? m : k);
        checkOperand("B", b, bOff, ldb, transB ? n : k, transB ? k : n);
        checkOperand("C", c, cOff, ldc, m, n);
    }

    static void checkOperand(String what, float[] x, int off, int ld, int rows, int cols) {
        if (rows == 0 || cols == 0) {
            return;
        }
        if (off < 0 || ld < cols || (long) off + (long) (rows - 1) * ld + cols > x.length) {
            throw new IllegalArgumentException("gemm: " + what + " is " + rows + "x" + cols + " at offset "
                    + off + " with row stride " + ld + ", which does not fit its array of " + x.length
                    + " floats (the stride must be >= " + cols + ")");
        }
    }

    /** The arguments of one parallel call; part q computes a fixed slice of C. */
    private static final class GemmJob implements Pool.Job {
        private boolean transA, transB, accumulate;
        private int m, n, k, aOff, lda, bOff, ldb, cOff, ldc;
        private float[] a, b, c;

        void set(boolean tA, boolean tB, int m, int n, int k, float[] a, int aOff, int lda,
                 float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean acc) {
            this.transA = tA;
            this.transB = tB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.a = a;
            this.aOff = aOff;
            this.lda = lda;
            this.b = b;
            this.bOff = bOff;
            this.ldb = ldb;
            this.c = c;
            this.cOff = cOff;
            this.ldc = ldc;
            this.accumulate = acc;
        }

        void clear() {
            a = null;
            b = null;
            c = null;
        }

        @Override
        public void run(int part, int parts, Workspace ws) {
            // Split the dimension whose duplicate packing is cheaper: splitting columns makes every
            // part pack all of A (m*k), splitting rows makes every part pack all of B (k*n).
            boolean splitCols = m <= Gemm.DIRECT_MAX_M || (long) m * k <= (long) k * n;
            if (splitCols) {
                int j0 = bound(n, Gemm.NR, part, parts);
                int j1 = bound(n, Gemm.NR, part + 1, parts);
                Gemm.run(ws, transA, transB, m, j1 - j0, k, a, aOff, lda,
                        b, transB ? bOff + j0 * ldb : bOff + j0, ldb, c, cOff + j0, ldc, accumulate);
            } else {
                int i0 = bound(m, Gemm.MR, part, parts);
                int i1 = bound(m, Gemm.MR, part + 1, parts);
                Gemm.run(ws, transA, transB, i1 - i0, n, k, a, transA ? aOff + i0 : aOff + i0 * lda, lda,
                        b, bOff, ldb, c, cOff + i0 * ldc, ldc, accumulate);
            }
        }

        /** Start of part q of [0, size) in whole blocks of {@code unit}; the last part takes the rest. */
        static int bound(int size, int unit, int q, int parts) {
            if (q >= parts) {
                return size;
            }
            int blocks = (size + unit - 1) / unit;
            return Math.min(size, (int) ((long) blocks * q / parts) * unit);
        }
    }

    /** A parallel packed-B call: the same split as {@link GemmJob}, B read from the shared panels. */
    private static final class PackedJob implements Pool.Job {
        private boolean transA, accumulate;
        private int m, n, k, aOff, lda, cOff, ldc;
        private float[] a, c;
        private VectorPacked b;

        void set(boolean tA, int m, int n, int k, float[] a, int aOff, int lda, VectorPacked b,
                 float[] c, int cOff, int ldc, boolean acc) {
            this.transA = tA;
            this.m = m;
            this.n = n;
            this.k = k;
            this.a = a;
            this.aOff = aOff;
            this.lda = lda;
            this.b = b;
            this.c = c;
            this.cOff = cOff;
            this.ldc = ldc;
            this.accumulate = acc;
        }

        void clear() {
            a = null;
            b = null;
            c = null;
        }

        @Override
        public void run(int part, int parts, Workspace ws) {
            // B is packed once, so only A is duplicated by a column split; still split the
            // dimension that makes each part stream less (columns when B is the larger operand).
            boolean splitCols = m <= Gemm.DIRECT_MAX_M || (long) m * k <= (long) k * n;
            if (splitCols) {
                int j0 = GemmJob.bound(n, Gemm.NR, part, parts);
                int j1 = GemmJob.bound(n, Gemm.NR, part + 1, parts);
                Gemm.runPacked(ws, transA, m, j0, j1, k, a, aOff, lda, b.panels(), b.nPad(), c, cOff, ldc,
                        accumulate);
            } else {
                int i0 = GemmJob.bound(m, Gemm.MR, part, parts);
                int i1 = GemmJob.bound(m, Gemm.MR, part + 1, parts);
                Gemm.runPacked(ws, transA, i1 - i0, 0, n, k, a, transA ? aOff + i0 : aOff + i0 * lda, lda,
                        b.panels(), b.nPad(), c, cOff + i0 * ldc, ldc, accumulate);
            }
        }
    }
}
