package org.rnn4j.cli.fuzz;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.rnn4j.keras.KerasFormatException;
import org.rnn4j.keras.KerasModels;
import org.rnn4j.keras.ModelFileMutator;
import org.rnn4j.models.Model;
import org.rnn4j.tensor.Tensor;

/**
 * Loads mutated model files one at a time on a worker thread with a time bound. A case ends as
 * refused (a {@link KerasFormatException} with a message), loaded (and, when its inputs are small,
 * predicted on zeros; a shape refusal from predict counts as refused), a crash (any other
 * exception or Error, an exception without a message), a hang (over the time bound; the worker is
 * abandoned and a new one started), or heap over the bound (live heap after a GC, checked when the
 * used heap exceeds it, so a leak or a retained giant allocation shows; an OutOfMemoryError is
 * counted here too).
 */
public final class LoaderFuzz {
    private static final long MAX_PREDICT_VALUES = 1 << 20;

    /** Counts and the first few examples of each failure. */
    public static final class Report {
        public int cases;
        public int loaded;
        public int refused;
        public int predictRefused;
        public int crashes;
        public int hangs;
        public int heapOver;
        public long slowestMs;
        public String slowest = "";
        public long maxUsedAfterGcMb;
        public long seconds;
        final List<String> examples = new ArrayList<>();

        public boolean clean() {
            return crashes == 0 && hangs == 0 && heapOver == 0;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                    "fuzz-loader: %d cases in %d s: %d loaded (%d then refused at predict), %d refused cleanly; "
                    + "crashes %d, hangs %d, heap over bound %d; slowest case %d ms (%s); max live heap after a GC %d MiB",
                    cases, seconds, loaded, predictRefused, refused, crashes, hangs, heapOver, slowestMs, slowest,
                    maxUsedAfterGcMb));
            for (String e : examples) {
                sb.append("\n  ").append(e);
            }
            return sb.toString();
        }
    }

    private final List<ModelFileMutator> seeds = new ArrayList<>();
    private final Random rnd;
    private final int timeoutSeconds;
    private final long heapBound;
    private final PrintStream progress;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    public LoaderFuzz(List<Path> dirs, long seed, int timeoutSeconds, long heapBoundBytes, PrintStream progress) throws IOException {
        for (Path d : dirs) {
            try (Stream<Path> files = Files.list(d)) {
                for (Path f : files.sorted().toList()) {
                    String n = f.getFileName().toString();
                    if (n.endsWith(".keras") || n.endsWith(".h5")) {
                        seeds.add(new ModelFileMutator(f));
                    }
                }
            }
        }
        if (seeds.isEmpty()) {
            throw new IOException("no .keras or .h5 files in " + dirs);
        }
        this.rnd = new Random(seed);
        this.timeoutSeconds = timeoutSeconds;
        this.heapBound = heapBoundBytes;
        this.progress = progress;
    }

    public Report run(int count) throws IOException, InterruptedException {
        Report r = new Report();
        Path dir = Files.createTempDirectory("rnn4j-fuzz-loader");
        ExecutorService worker = newWorker();
        long start = System.nanoTime();
        try {
            for (int i = 0; i < count; i++) {
                ModelFileMutator s = seeds.get(i % seeds.size());
                int kind = rnd.nextInt(ModelFileMutator.KINDS);
                String what = "case " + i + " (" + s.name() + ", mutation " + kind + ")";
                Path file = dir.resolve("case" + (s.name().endsWith(".h5") ? ".h5" : ".keras"));
                Files.write(file, s.mutate(kind, rnd));
                long t0 = System.nanoTime();
                Future<String> f = worker.submit(() -> one(file));
                String outcome;
                try {
                    outcome = f.get(timeoutSeconds, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    f.cancel(true);
                    worker.shutdownNow();
                    worker = newWorker(); // the stuck thread is abandoned (daemon)
                    outcome = "hang";
                } catch (ExecutionException e) {
                    outcome = "crash: " + e.getCause();
                }
                long ms = (System.nanoTime() - t0) / 1_000_000;
                if (ms > r.slowestMs) {
                    r.slowestMs = ms;
                    r.slowest = what;
                }
                r.cases++;
                if (outcome.equals("loaded")) {
                    r.loaded++;
                } else if (outcome.equals("predict-refused")) {
                    r.loaded++;
                    r.predictRefused++;
                } else if (outcome.equals("refused")) {
                    r.refused++;
                } else if (outcome.equals("hang")) {
                    r.hangs++;
                    example(r, what + ": hang (over " + timeoutSeconds + " s)");
                } else if (outcome.startsWith("heap")) {
                    r.heapOver++;
                    example(r, what + ": " + outcome);
                } else {
                    r.crashes++;
                    example(r, what + ": " + outcome);
                }
                long used = memory.getHeapMemoryUsage().getUsed();
                if (used > heapBound) {
                    System.gc();
                    used = memory.getHeapMemoryUsage().getUsed();
                    r.maxUsedAfterGcMb = Math.max(r.maxUsedAfterGcMb, used >> 20);
                    if (used > heapBound) {
                        r.heapOver++;
                        example(r, what + ": live heap " + (used >> 20) + " MiB after the case, bound " + (heapBound >> 20) + " MiB");
                    }
                }
                if (progress != null && (i + 1) % 1000 == 0) {
                    progress.println("fuzz-loader: " + (i + 1) + " / " + count + " (crashes " + r.crashes + ", hangs " + r.hangs
                            + ", heap " + r.heapOver + ")");
                }
            }
        } finally {
            worker.shutdownNow();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
        System.gc();
        r.maxUsedAfterGcMb = Math.max(r.maxUsedAfterGcMb, memory.getHeapMemoryUsage().getUsed() >> 20);
        r.seconds = (System.nanoTime() - start) / 1_000_000_000L;
        return r;
    }

    private static void example(Report r, String e) {
        if (r.examples.size() < 20) {
            r.examples.add(e);
        }
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, "fuzz-loader-case");
            t.setDaemon(true);
            return t;
        });
    }

    /** One case's outcome: loaded, predict-refused, refused, heap..., or a crash description. */
    private static String one(Path file) {
        Model m;
        try {
            m = KerasModels.load(file);
        } catch (KerasFormatException e) {
            return e.getMessage() == null || e.getMessage().isBlank() ? "crash: KerasFormatException without a message" : "refused";
        } catch (OutOfMemoryError e) {
            return "heap: OutOfMemoryError while loading";
        } catch (IOException | RuntimeException | Error e) {
            return "crash: " + e;
        }
        List<Tensor> xs = new ArrayList<>();
        for (int[] shape : m.inputShapesOfModel()) {
            int[] s = new int[shape.length + 1];
            s[0] = 1;
            long n = 1;
            for (int k = 0; k < shape.length; k++) {
                s[k + 1] = shape[k] < 0 ? 2 : shape[k];
                n *= s[k + 1];
            }
            if (n > MAX_PREDICT_VALUES) {
                return "loaded";
            }
            xs.add(Tensor.zeros(s));
        }
        try {
            m.predict(xs, 1);
            return "loaded";
        } catch (IllegalArgumentException | IllegalStateException e) {
            // A mutated config may declare shapes the layers then refuse (e.g. an Embedding's zero-size vocabulary)
            return e.getMessage() == null ? "crash: " + e : "predict-refused";
        } catch (OutOfMemoryError e) {
            return "heap: OutOfMemoryError while predicting";
        } catch (RuntimeException | Error e) {
            return "crash (predict): " + e;
        }
    }
}
