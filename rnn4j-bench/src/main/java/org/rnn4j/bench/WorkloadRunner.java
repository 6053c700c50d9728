package org.rnn4j.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Tensor;

/**
 * Times one workload the way the peers' scripts do (shared/bench/torch_bench.py): warm-up steps,
 * then counted train steps (at least 30, about 3 s, at most 300), median and min per step; then
 * inference calls on a fixed batch (at least 10, about 3 s, at most 500), samples/s from the
 * median call. The JVM warm-up is longer than the peers' 5 steps (at least 2 s) so the JIT has
 * compiled the kernels; the counted steps are the same kind of steps.
 */
final class WorkloadRunner {
    static final double TARGET_S = 3.0;
    /** Minimum warm-up seconds per workload; -Drnn4j.bench.warmup=S changes it. */
    static final double WARMUP_S = Double.parseDouble(System.getProperty("rnn4j.bench.warmup", "3"));
    static final double MAX_WARMUP_S = Math.max(30.0, WARMUP_S);

    private WorkloadRunner() {
    }

    /** N(0,1) values from a fixed seed. */
    static Tensor randn(Random r, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) r.nextGaussian();
        }
        return t;
    }

    static Tensor oneHot(Random r, int rows, int classes) {
        Tensor t = Tensor.zeros(rows, classes);
        for (int i = 0; i < rows; i++) {
            t.data()[i * classes + r.nextInt(classes)] = 1f;
        }
        return t;
    }

    static int[] withBatch(int batch, int[] sample) {
        int[] s = new int[sample.length + 1];
        s[0] = batch;
        System.arraycopy(sample, 0, s, 1, sample.length);
        return s;
    }

    static Map<String, Object> run(Workload w) {
        Random r = new Random(1234);
        Sequential model = w.model().get();
        Tensor x = randn(r, withBatch(w.batch(), w.input()));
        Tensor y = w.classify() ? oneHot(r, w.batch(), w.outputs()) : randn(r, w.batch(), w.outputs());
        Tensor xi = randn(r, withBatch(w.inferBatch(), w.input()));

        long wall0 = System.nanoTime();
        // Warm-up: at least 5 steps and WARMUP_S seconds, then until the JIT has settled (the
        // median of the last 10 steps within 10% of the 10 before), at most MAX_WARMUP_S.
        int warm = 0;
        double last = 0;
        double[] recent = new double[20];
        long w0 = System.nanoTime();
        while (true) {
            long t = System.nanoTime();
            model.trainOnBatch(x, y);
            last = (System.nanoTime() - t) / 1e9;
            recent[warm % 20] = last;
            warm++;
            double elapsed = (System.nanoTime() - w0) / 1e9;
            if (warm >= 5 && elapsed >= WARMUP_S && (warm >= 20 && settled(recent, warm) || elapsed >= MAX_WARMUP_S)) {
                break;
            }
        }
        // As the peers: enough steps for about TARGET_S seconds, 30..300 (from the typical recent
        // warm-up step, not the last one alone, which may be a GC or scheduling outlier).
        double typical = Stats.median(java.util.Arrays.copyOf(recent, Math.min(warm, 20)));
        int count = (int) Math.min(300, Math.max(30, Math.ceil(TARGET_S / Math.max(typical, 1e-9))));
        double[] ms = new double[count];
        double loss = Double.NaN;
        long cpu0 = processCpuNanos();
        HeapUse heap = HeapUse.start();
        for (int i = 0; i < count; i++) {
            long t = System.nanoTime();
            loss = lossOf(model.trainOnBatch(x, y));
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        long allocated = heap.allocatedBytes();
        long collections = heap.collections();
        long cpu1 = processCpuNanos();

        // Inference: a short warm-up, then calls for about TARGET_S seconds.
        long iw = System.nanoTime();
        int iwarm = 0;
        while (iwarm < 2 || (System.nanoTime() - iw) / 1e9 < WARMUP_S / 2) {
            model.predict(xi, w.inferBatch());
            iwarm++;
        }
        java.util.List<Double> calls = new java.util.ArrayList<>();
        long i0 = System.nanoTime();
        while (calls.size() < 10 || ((System.nanoTime() - i0) / 1e9 < TARGET_S && calls.size() < 500)) {
            long t = System.nanoTime();
            model.predict(xi, w.inferBatch());
            calls.add((System.nanoTime() - t) / 1e9);
        }
        double[] cs = calls.stream().mapToDouble(Double::doubleValue).toArray();
        double callMed = Stats.median(cs);

        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("workload", w.id());
        rec.put("name", w.name());
        rec.put("train_batch", w.batch());
        rec.put("input", w.input());
        rec.put("train_ms_per_step", Stats.round(Stats.median(ms), 3));
        rec.put("train_ms_per_step_min", Stats.round(Stats.min(ms), 3));
        rec.put("train_ms_per_step_max", Stats.round(Stats.max(ms), 3));
        // CPU time of the whole process per counted step (all threads, JIT and GC included): on a
        // loaded machine it shows the work done, which wall time cannot.
        if (cpu0 >= 0 && cpu1 >= 0) {
            rec.put("train_cpu_ms_per_step", Stats.round((cpu1 - cpu0) / 1e6 / count, 3));
        }
        // Heap use of the counted steps (all threads alive at their start): about the loss and
        // gradient tensors per step when the kernels keep their vectors in registers.
        if (allocated >= 0) {
            rec.put("train_alloc_kb_per_step", Stats.round(allocated / 1024.0 / count, 1));
        }
        if (collections >= 0) {
            rec.put("train_gc_per_100_steps", Stats.round(100.0 * collections / count, 2));
        }
        rec.put("train_warmup_steps", warm);
        rec.put("train_counted_steps", count);
        rec.put("final_loss", Stats.round(loss, 5));
        rec.put("infer_batch", w.inferBatch());
        rec.put("infer_samples_per_s", Stats.round(w.inferBatch() / callMed, 1));
        rec.put("infer_samples_per_s_best", Stats.round(w.inferBatch() / Stats.min(cs), 1));
        rec.put("infer_calls", cs.length);
        rec.put("infer_ms_per_batch_median", Stats.round(callMed * 1e3, 3));
        if (w.gateFlopsPerSample() > 0) {
            double fwd = w.gateFlopsPerSample() * w.batch();
            rec.put("train_gflops", Stats.round(3 * fwd / 1e9 / (Stats.median(ms) / 1e3), 2));
            rec.put("train_gflops_best", Stats.round(3 * fwd / 1e9 / (Stats.min(ms) / 1e3), 2));
            rec.put("infer_gflops", Stats.round(w.gateFlopsPerSample() * w.inferBatch() / 1e9 / callMed, 2));
        }
        rec.put("params", model.countParams());
        rec.put("wall_s", Stats.round((System.nanoTime() - wall0) / 1e9, 2));
        return rec;
    }

    /** CPU time of this process in nanoseconds, or -1 when the platform does not tell. */
    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }

    /** The last 10 step times (ring of 20) have a median within 10% of the 10 before them. */
    private static boolean settled(double[] ring, int n) {
        double[] a = new double[10];
        double[] b = new double[10];
        for (int i = 0; i < 10; i++) {
            a[i] = ring[(n - 1 - i) % 20];
            b[i] = ring[(n - 11 - i) % 20];
        }
        double ma = Stats.median(a);
        double mb = Stats.median(b);
        return Math.abs(ma - mb) <= 0.1 * mb;
    }

    private static double lossOf(Object result) {
        if (result instanceof Number n) {
            return n.doubleValue();
        }
        if (result instanceof Map<?, ?> m && m.get("loss") instanceof Number n) {
            return n.doubleValue();
        }
        return Double.NaN;
    }
}
