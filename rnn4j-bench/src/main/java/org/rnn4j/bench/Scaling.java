package org.rnn4j.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.LSTM;
import org.rnn4j.models.Sequential;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.tensor.Tensor;

/**
 * How the cost of an LSTM grows: ms per training step (and per inference batch) of
 * {@code LSTM(units) -> Dense(1)} (Adam, MSE, 8 input features, as W1) while one of T, batch and
 * units grows and the other two stay at the base point (T 64, batch 64, units 64). A sparse grid
 * (one axis at a time) shows where each curve bends; it finishes in a few minutes on 2 cores.
 *
 * <p>{@code ./rnn4j bench --scaling} writes the rows as CSV (and the CLI draws them as a PNG).
 */
public final class Scaling {
    public static final int FEATURES = 8;
    public static final int BASE_T = 64;
    public static final int BASE_BATCH = 64;
    public static final int BASE_UNITS = 64;

    /** One grid point; {@code axis} is the quantity that varies ("T", "batch" or "units"). */
    public record Point(String axis, int t, int batch, int units) {
        /** The value on this point's axis. */
        public int value() {
            return switch (axis) {
                case "T" -> t;
                case "batch" -> batch;
                default -> units;
            };
        }
    }

    /** One measured point: medians (and the train minimum) over the counted calls. */
    public record Row(Point point, long params, int steps, double trainMs, double trainMsMin, double inferMs) {
        /** Train time per (sample x time step), microseconds: flat while cost is linear in T*batch. */
        public double usPerSampleStep() {
            return trainMs * 1e3 / ((double) point.t() * point.batch());
        }

        /** Gate-matmul GFLOP/s of the train step (forward x 3, the WORKLOADS.md convention). */
        public double trainGflops() {
            double fwd = Workloads.lstmGateFlops(point.t(), FEATURES, point.units()) * point.batch();
            return 3 * fwd / 1e9 / (trainMs / 1e3);
        }
    }

    private Scaling() {
    }

    /**
     * The grid: "default" (T 16..512, batch 1..512, units 16..1024, 19 points) or "tiny" (a
     * seconds-long smoke grid for tests).
     */
    public static List<Point> grid(String name) {
        int[] ts;
        int[] batches;
        int[] units;
        int bt = BASE_T;
        int bb = BASE_BATCH;
        int bu = BASE_UNITS;
        switch (name.toLowerCase(Locale.ROOT)) {
            case "default" -> {
                ts = new int[] {16, 32, 64, 128, 256, 512};
                batches = new int[] {1, 4, 16, 64, 256, 512};
                units = new int[] {16, 32, 64, 128, 256, 512, 1024};
            }
            case "tiny" -> {
                bt = 4;
                bb = 2;
                bu = 4;
                ts = new int[] {2, 4};
                batches = new int[] {1, 2};
                units = new int[] {4, 8};
            }
            default -> throw new IllegalArgumentException("Unknown scaling grid '" + name + "'. Valid: default, tiny");
        }
        List<Point> g = new ArrayList<>();
        for (int t : ts) {
            g.add(new Point("T", t, bb, bu));
        }
        for (int b : batches) {
            g.add(new Point("batch", bt, b, bu));
        }
        for (int u : units) {
            g.add(new Point("units", bt, bb, u));
        }
        return g;
    }

    static Sequential model(int t, int units) {
        Sequential m = new Sequential().seed(Workloads.SEED);
        m.add(new LSTM(units).inputShape(t, FEATURES));
        m.add(new Dense(1));
        m.compile(new Adam(1e-3), "mean_squared_error");
        return m;
    }

    /**
     * Measures every point: a JIT warm-up first (a W1-sized model for {@code warmupSeconds}),
     * then per point two untimed steps and counted steps for about {@code secondsPerPoint} (at
     * least 3, at most 100); the same for {@code predict} on the same batch. A point that occurs on
     * several axes (the base point) is measured once. Progress lines go to {@code progress}.
     */
    public static List<Row> run(List<Point> grid, double secondsPerPoint, double warmupSeconds, PrintStream progress) {
        warmUp(warmupSeconds);
        Map<String, Row> seen = new HashMap<>();
        List<Row> rows = new ArrayList<>();
        for (Point p : grid) {
            String key = p.t() + "/" + p.batch() + "/" + p.units();
            Row done = seen.get(key);
            Row row = done != null ? new Row(p, done.params(), done.steps(), done.trainMs(), done.trainMsMin(),
                    done.inferMs()) : measure(p, secondsPerPoint);
            seen.put(key, row);
            rows.add(row);
            if (progress != null) {
                progress.printf(Locale.ROOT, "scaling %-5s T=%-4d batch=%-4d units=%-5d train %9.3f ms/step (min %.3f)"
                        + "  infer %9.3f ms/batch  %7.3f us/sample-step  %6.1f GFLOP/s%n", p.axis(), p.t(), p.batch(),
                        p.units(), row.trainMs(), row.trainMsMin(), row.inferMs(), row.usPerSampleStep(),
                        row.trainGflops());
                progress.flush();
            }
        }
        return rows;
    }

    private static void warmUp(double seconds) {
        if (seconds <= 0) {
            return;
        }
        Random r = new Random(1);
        Sequential m = model(BASE_T, BASE_UNITS);
        Tensor x = WorkloadRunner.randn(r, BASE_BATCH, BASE_T, FEATURES);
        Tensor y = WorkloadRunner.randn(r, BASE_BATCH, 1);
        long t0 = System.nanoTime();
        int steps = 0;
        while (steps < 5 || (System.nanoTime() - t0) / 1e9 < seconds) {
            m.trainOnBatch(x, y);
            if (steps % 4 == 0) {
                m.predict(x, BASE_BATCH);
            }
            steps++;
        }
    }

    private static Row measure(Point p, double seconds) {
        Random r = new Random(1234);
        Sequential m = model(p.t(), p.units());
        Tensor x = WorkloadRunner.randn(r, p.batch(), p.t(), FEATURES);
        Tensor y = WorkloadRunner.randn(r, p.batch(), 1);
        m.trainOnBatch(x, y);
        m.trainOnBatch(x, y);
        List<Double> train = new ArrayList<>();
        long t0 = System.nanoTime();
        while (train.size() < 3 || ((System.nanoTime() - t0) / 1e9 < seconds && train.size() < 100)) {
            long t = System.nanoTime();
            m.trainOnBatch(x, y);
            train.add((System.nanoTime() - t) / 1e6);
        }
        m.predict(x, p.batch());
        List<Double> infer = new ArrayList<>();
        long i0 = System.nanoTime();
        while (infer.size() < 3 || ((System.nanoTime() - i0) / 1e9 < seconds / 3 && infer.size() < 100)) {
            long t = System.nanoTime();
            m.predict(x, p.batch());
            infer.add((System.nanoTime() - t) / 1e6);
        }
        double[] ts = train.stream().mapToDouble(Double::doubleValue).toArray();
        double[] is = infer.stream().mapToDouble(Double::doubleValue).toArray();
        return new Row(p, m.countParams(), ts.length, Stats.median(ts), Stats.min(ts), Stats.median(is));
    }

    /** The CSV header; one line per row follows in {@link #writeCsv}. */
    public static final String CSV_HEADER = "axis,T,batch,units,features,params,train_ms_median,train_ms_min,"
            + "infer_ms_median,us_per_sample_step,train_gflops,steps";

    public static void writeCsv(List<Row> rows, Path file) {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        for (Row row : rows) {
            Point p = row.point();
            sb.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%d,%.4f,%.4f,%.4f,%.5f,%.2f,%d%n", p.axis(), p.t(),
                    p.batch(), p.units(), FEATURES, row.params(), row.trainMs(), row.trainMsMin(), row.inferMs(),
                    row.usPerSampleStep(), row.trainGflops(), row.steps()));
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, sb);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
