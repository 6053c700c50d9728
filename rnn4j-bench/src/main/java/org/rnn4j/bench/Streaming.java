package org.rnn4j.bench;

import java.util.Map;
import org.rnn4j.models.Sequential;
import org.rnn4j.models.StreamingPredictor;
import org.rnn4j.tensor.Tensor;

/** L1's second figure: the buffer-reusing single-sample path (StreamingPredictor). */
final class Streaming {
    private Streaming() {
    }

    static void addTo(Map<String, Object> rec, Sequential model, Tensor x1) {
        if (StreamingPredictor.unsupported(model) != null) {
            return;
        }
        StreamingPredictor sp = new StreamingPredictor(model);
        float[] out = new float[sp.outputs()];
        float[] x = x1.data();
        double[] us = LatencyRunner.time(() -> sp.predict(x, 0, out));
        rec.put("stream_p50_us", Stats.round(Stats.percentile(us, 0.50), 1));
        rec.put("stream_p99_us", Stats.round(Stats.percentile(us, 0.99), 1));
        rec.put("stream_min_us", Stats.round(Stats.min(us), 1));
    }
}
