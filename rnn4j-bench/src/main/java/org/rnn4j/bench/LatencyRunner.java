package org.rnn4j.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Tensor;

/**
 * L1: the W1 model predicting one sample [1, 48, 8]; latency percentiles over 1000 calls after a
 * warm-up (the peers use 50 calls; the JVM gets at least 2 s so the JIT has compiled the path).
 */
final class LatencyRunner {
    static final int CALLS = 1000;

    private LatencyRunner() {
    }

    static Map<String, Object> run() {
        Random r = new Random(1234);
        Sequential model = Workloads.l1Model().get();
        Tensor x1 = WorkloadRunner.randn(r, 1, 48, 8);
        long wall0 = System.nanoTime();
        double[] us = time(() -> model.predict(x1, 1));
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("workload", "L1");
        rec.put("name", "latency (W1 model, batch 1)");
        rec.put("calls", CALLS);
        rec.put("p50_us", Stats.round(Stats.percentile(us, 0.50), 1));
        rec.put("p99_us", Stats.round(Stats.percentile(us, 0.99), 1));
        rec.put("min_us", Stats.round(Stats.min(us), 1));
        rec.put("mean_us", Stats.round(Stats.mean(us), 1));
        // The floor one core cannot beat: every step reads all of U (see WeightStream). Left out
        // when the JVM runs without the Vector API module (the kernels then run scalar too).
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            org.rnn4j.layers.RecurrentLayer lstm = (org.rnn4j.layers.RecurrentLayer) model.layers().get(0);
            double pass = WeightStream.microsPerPass(lstm.units() * 4 * lstm.units(), 1.0);
            rec.put("u_read_us_per_step", Stats.round(pass, 3));
            rec.put("u_read_floor_us", Stats.round(x1.dim(1) * pass, 1));
        }
        Streaming.addTo(rec, model, x1);
        rec.put("wall_s", Stats.round((System.nanoTime() - wall0) / 1e9, 2));
        return rec;
    }

    static double[] time(Runnable call) {
        long w0 = System.nanoTime();
        int warm = 0;
        while (warm < 50 || (System.nanoTime() - w0) / 1e9 < WorkloadRunner.WARMUP_S) {
            call.run();
            warm++;
        }
        double[] us = new double[CALLS];
        for (int i = 0; i < CALLS; i++) {
            long t = System.nanoTime();
            call.run();
            us[i] = (System.nanoTime() - t) / 1e3;
        }
        return us;
    }
}
