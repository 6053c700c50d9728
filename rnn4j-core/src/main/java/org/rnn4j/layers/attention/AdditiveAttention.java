package org.rnn4j.layers.attention;

import java.util.Map;
import org.rnn4j.initializers.Initializers;
import org.rnn4j.layers.Variable;
import org.rnn4j.layers.config.ConfigValues;
import org.rnn4j.util.Rng;

/**
 * Keras's {@code AdditiveAttention} (Bahdanau): scores {@code sum_d scale_d * tanh(query_i + key_j)_d}
 * with the per-feature weight {@code scale} (shape (dim,), glorot_uniform) when {@code useScale}
 * (the default), else a plain sum. Everything else as {@link Attention}; see {@link BaseDenseAttention}.
 */
public class AdditiveAttention extends BaseDenseAttention {
    private Variable scale;

    /** With the learned {@code scale} (Keras's default {@code use_scale=True}). */
    public AdditiveAttention() {
        this(true);
    }

    public AdditiveAttention(boolean useScale) {
        super(useScale);
    }

    @Override
    public AdditiveAttention name(String n) {
        super.name(n);
        return this;
    }

    @Override
    public AdditiveAttention dropout(double rate) {
        super.dropout(rate);
        return this;
    }

    @Override
    public AdditiveAttention seed(Long value) {
        super.seed(value);
        return this;
    }

    @Override
    public AdditiveAttention useCausalMask(boolean value) {
        super.useCausalMask(value);
        return this;
    }

    @Override
    public AdditiveAttention returnAttentionScores(boolean value) {
        super.returnAttentionScores(value);
        return this;
    }

    /** The (dim,) {@code scale} weight, or null without {@code useScale}. */
    public Variable scale() {
        return scale;
    }

    @Override
    protected void createScoreWeights(int dim, Rng rng) {
        if (useScale()) {
            scale = addWeight("scale", new int[] {dim}, Initializers.get("glorot_uniform"), null, rng);
        }
    }

    @Override
    void scores(Run r, float[] q, float[] k, float[] scores) {
        int batch = r.batch;
        int tq = r.tq;
        int tv = r.tv;
        int d = r.dim;
        float[] sc = scale == null ? null : scale.value().data();
        float[] t = new float[batch * tq * tv * d];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < tq; i++) {
                int qo = (b * tq + i) * d;
                for (int j = 0; j < tv; j++) {
                    int ko = (b * tv + j) * d;
                    int to = ((b * tq + i) * tv + j) * d;
                    float sum = 0f;
                    for (int c = 0; c < d; c++) {
                        float th = (float) Math.tanh(q[qo + c] + k[ko + c]);
                        t[to + c] = th;
                        sum += sc == null ? th : sc[c] * th;
                    }
                    scores[(b * tq + i) * tv + j] = sum;
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
        float[] sc = scale == null ? null : scale.value().data();
        double[] dScale = sc == null ? null : new double[d];
        float[] t = r.cache;
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < tq; i++) {
                int qo = (b * tq + i) * d;
                for (int j = 0; j < tv; j++) {
                    int ko = (b * tv + j) * d;
                    int to = ((b * tq + i) * tv + j) * d;
                    float g = ds[(b * tq + i) * tv + j];
                    for (int c = 0; c < d; c++) {
                        float th = t[to + c];
                        float u = g * (1f - th * th);
                        if (sc != null) {
                            dScale[c] += (double) g * th;
                            u *= sc[c];
                        }
                        dq[qo + c] += u;
                        dk[ko + c] += u;
                    }
                }
            }
        }
        if (sc != null) {
            float[] gs = scale.grad().data();
            for (int c = 0; c < d; c++) {
                gs[c] += (float) dScale[c];
            }
        }
    }

    /** Rebuilds the layer from its Keras config ({@code use_scale}, {@code dropout}, {@code seed}). */
    public static AdditiveAttention fromConfig(Map<String, Object> config) {
        AdditiveAttention a = new AdditiveAttention(ConfigValues.getBoolean(config, "use_scale", true));
        applyCommon(a, config);
        return a;
    }
}
