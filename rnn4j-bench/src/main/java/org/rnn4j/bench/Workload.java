package org.rnn4j.bench;

import java.util.function.Supplier;
import org.rnn4j.models.Sequential;

/**
 * One row of WORKLOADS.md: the model, its per-sample input shape, the train and inference batch
 * sizes, the optimizer and loss, and the kind of target.
 *
 * @param id          W0..W5
 * @param name        the peers' short name (seed-lstm, ...)
 * @param model       builds and compiles a fresh model (fixed seed)
 * @param input       per-sample input shape, e.g. {48, 8}
 * @param batch       train batch size
 * @param inferBatch  inference batch size (256; W3: 128)
 * @param outputs     target width
 * @param classify    one-hot targets (categorical crossentropy) instead of N(0,1) targets
 * @param gateFlopsPerSample forward gate-matmul flops per sample (the GFLOP/s fields; WORKLOADS.md counts W3 so), 0 if not reported
 */
record Workload(String id, String name, Supplier<Sequential> model, int[] input, int batch,
                int inferBatch, int outputs, boolean classify, double gateFlopsPerSample) {
}
