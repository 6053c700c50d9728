package org.rnn4j.layers.attention;

import java.util.Map;
import org.rnn4j.initializers.Initializers;
import org.rnn4j.kernels.MatMul;
import org.rnn4j.kernels.Kernels;
import org.rnn4j.layers.Variable;
import org.rnn4j.layers.config.ConfigValues;
import org.rnn4j.util.Rng;

/**
 * Keras's {@code Attention} (Luong, dot-product attention). Scores: {@code "dot"} is
 * {@code query . key^T} (times the scalar weight {@code scale} with {@code useScale});
 * {@code "concat"} is {@code concat_score_weight * sum(tanh(scale * (query_i + key_j)))} over the
 * features. Inputs, masks, causal mask, dropout and the scores output: see {@link BaseDenseAttention}.
 *
 * <pre>{@code
 * var out = new Attention().call(query, value);                  // [query, value]
 * var both = new Attention().useScale(true).returnAttentionScores(true)
 *         .call(List.of(query, value, key));                      // [output, scores]
 * }</pre>
 */
public class Attention extends BaseDenseAttention {
    private final String scoreMode;
    private Variable scale;
    private Variable concatScoreWeight;

    /** Dot scores without scale (Keras's defaults). */
    public Attention() {
        this(false, "dot");
    }

    public Attention(boolean useScale) {
        this(useScale, "dot");
    }

    /** {@code scoreMode}: {@code "dot"} or {@code "concat"}. */
    public Attention(boolean useScale, String scoreMode) {
        super(useScale);
        if (!"dot".equals(scoreMode) && !"concat".equals(scoreMode)) {
            throw new IllegalArgumentException("Attention: score_mode must be one of {'dot', 'concat'}, got '"
                    + scoreMode + "'");
        }
        this.scoreMode = scoreMode;
    }

    public String scoreMode() {
        return scoreMode;
    }

    @Override
    public Attention name(String n) {
        super.name(n);
        return this;
    }

    @Override
    public Attention dropout(double rate) {
        super.dropout(rate);
        return this;
    }

    @Override
    public Attention seed(Long value) {
        super.seed(value);
        return this;
    }

    @Override
    public Attention useCausalMask(boolean value) {
        super.useCausalMask(value);
        return this;
    }

    @Override
    public Attention returnAttentionScores(boolean value) {
        super.returnAttentionScores(value);
        return this;
    }

    /** The scalar {@code scale} weight, or null without {@code useScale}. */
    public Variable scale() {
        return scale;
    }

    /** The scalar {@code concat_score_weight}, or null in {@code "dot"} mode. */
    public Variable concatScoreWeight() {
        return concatScoreWeight;
    }

    @Override
    protected void createScoreWeights(int dim, Rng rng) {
        if (useScale()) {
            scale = addWeight("scale", new int[0], Initializers.get("ones"), null, rng);
        }
        if ("concat".equals(scoreMode)) {
            concatScoreWeight = addWeight("concat_score_weight", new int[0], Initializers.get("ones"), null, rng);
        }
    }

    @Override
    void scores(Run r, float[] q, float[] k, float[] scores) {
        int batch = r.batch;
        int tq = r.tq;
        int tv = r.tv;
        int d = r.dim;
        if ("dot".equals(scoreMode)) {
            MatMul mm = Kernels.matmul();
            for (int b = 0; b < batch; b++) {
                mm.gemm(false, true, tq, tv, d, q, b * tq * d, d, k, b * tv * d, d, scores, b * tq * tv, tv, false);
            }
            if (scale != null) {
                r.cache = scores.clone();
                float s = scale.value().data()[0];
                for (int i = 0; i < scores.length; i++) {
                    scores[i] *= s;
                }
            }
            return;
        }
        float s = scale == null ? 1f : scale.value().data()[0];
        float w = concatScoreWeight.value().data()[0];
        float[] t = new float[batch * tq * tv * d];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < tq; i++) {
                int qo = (b * tq + i) * d;
                for (int j = 0; j < tv; j++) {
                    int ko = (b * tv + j) * d;
                    int to = ((b * tq + i) * tv + j) * d;
                    float sum = 0f;
                    for (int c = 0; c < d; c++) {
                        float arg = scale == null ? q[qo + c] + k[ko + c] : s * (q[qo + c] + k[ko + c]);
                        float th = (float) Math.tanh(arg);
                        t[to + c] = th;
                        sum += th;
                    }
                    scores[(b * tq + i) * tv + j] = w * sum;
                }
            }
        }
        r.cache = t;
    }

    @Override
    void scoresBackward(Run r, float[] q, float[] k, float[] ds, float[] dq, float[] dk) {
        int batch = r.batch;
        int tq = r.tq;
        int tv = r.tv;
        int d = r.dim;
        if ("dot".equals(scoreMode)) {
            float[] dsc = ds;
            if (scale != null) {
                float s = scale.value().data()[0];
                double g = 0;
                dsc = new float[ds.length];
                for (int i = 0; i < ds.length; i++) {
                    g += (double) ds[i] * r.cache[i];
                    dsc[i] = ds[i] * s;
                }
                scale.grad().data()[0] += (float) g;
            }
            MatMul mm = Kernels.matmul();
            for (int b = 0; b < batch; b++) {
                mm.gemm(false, false, tq, d, tv, dsc, b * tq * tv, tv, k, b * tv * d, d, dq, b * tq * d, d, false);
                mm.gemm(true, false, tv, d, tq, dsc, b * tq * tv, tv, q, b * tq * d, d, dk, b * tv * d, d, false);
            }
            return;
        }
        float s = scale == null ? 1f : scale.value().data()[0];
        float w = concatScoreWeight.value().data()[0];
        float[] t = r.cache;
        double dw = 0;
        double dScale = 0;
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < tq; i++) {
                int qo = (b * tq + i) * d;
                for (int j = 0; j < tv; j++) {
                    int ko = (b * tv + j) * d;
                    int to = ((b * tq + i) * tv + j) * d;
                    float g = ds[(b * tq + i) * tv + j];
                    float sum = 0f;
                    for (int c = 0; c < d; c++) {
                        float th = t[to + c];
                        sum += th;
                        float u = g * w * (1f - th * th);
                        if (scale != null) {
                            dScale += (double) u * (q[qo + c] + k[ko + c]);
                            u *= s;
                        }
                        dq[qo + c] += u;
                        dk[ko + c] += u;
                    }
                    dw += (double) g * sum;
                }
            }
        }
        concatScoreWeight.grad().data()[0] += (float) dw;
        if (scale != null) {
            scale.grad().data()[0] += (float) dScale;
        }
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Object> e : c.entrySet()) {
            out.put(e.getKey(), e.getValue());
            if ("use_scale".equals(e.getKey())) {
                out.put("score_mode", scoreMode);
            }
        }
        return out;
    }

    /** Rebuilds the layer from its Keras config ({@code use_scale}, {@code score_mode}, {@code dropout}, {@code seed}). */
    public static Attention fromConfig(Map<String, Object> config) {
        Attention a = new Attention(ConfigValues.getBoolean(config, "use_scale", false),
                ConfigValues.getString(config, "score_mode", "dot"));
        applyCommon(a, config);
        return a;
    }
}
