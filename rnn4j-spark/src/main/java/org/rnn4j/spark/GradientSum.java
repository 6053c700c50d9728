package org.rnn4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The running sum over shards of {@code n_i * g_i} (gradients), {@code n_i * loss_i} and the
 * sample count, in double precision. The global batch gradient is {@code sum / n}: each shard's
 * gradient is the mean over its samples, so weighting by {@code n_i / N} gives the mean over the
 * whole batch. Merging in a fixed order gives a fixed result.
 */
public final class GradientSum implements Serializable {
    private static final long serialVersionUID = 1L;

    private double[][] sums;
    private double loss;
    private double[] outputLosses;
    private long samples;
    private int shards;
    private double nonFiniteLoss = Double.NaN;
    private boolean nonFinite;
    private long maxComputeNanos;

    /** Adds one shard: its mean loss, per-output losses, sample count and mean gradients. */
    public GradientSum add(int n, double shardLoss, double[] shardOutputLosses, List<float[]> gradients) {
        if (n == 0) {
            return this;
        }
        shards++;
        samples += n;
        if (!Double.isFinite(shardLoss)) {
            nonFinite = true;
            nonFiniteLoss = shardLoss;
            return this;
        }
        for (float[] g : gradients) {
            if (g == null) {
                nonFinite = true;
                nonFiniteLoss = shardLoss;
                return this;
            }
        }
        loss += (double) n * shardLoss;
        if (outputLosses == null) {
            outputLosses = new double[shardOutputLosses.length];
        }
        for (int k = 0; k < shardOutputLosses.length; k++) {
            outputLosses[k] += (double) n * shardOutputLosses[k];
        }
        if (sums == null) {
            sums = new double[gradients.size()][];
            for (int i = 0; i < sums.length; i++) {
                sums[i] = new double[gradients.get(i).length];
            }
        }
        for (int i = 0; i < sums.length; i++) {
            float[] g = gradients.get(i);
            double[] s = sums[i];
            for (int j = 0; j < s.length; j++) {
                s[j] += (double) n * g[j];
            }
        }
        return this;
    }

    /** Adds another sum into this one (element by element, this + other) and returns this. */
    public GradientSum merge(GradientSum other) {
        if (other == null || other.shards == 0) {
            return this;
        }
        shards += other.shards;
        samples += other.samples;
        maxComputeNanos = Math.max(maxComputeNanos, other.maxComputeNanos);
        if (other.nonFinite) {
            nonFinite = true;
            nonFiniteLoss = other.nonFiniteLoss;
        }
        loss += other.loss;
        if (other.outputLosses != null) {
            if (outputLosses == null) {
                outputLosses = new double[other.outputLosses.length];
            }
            for (int k = 0; k < outputLosses.length; k++) {
                outputLosses[k] += other.outputLosses[k];
            }
        }
        if (other.sums != null) {
            if (sums == null) {
                sums = new double[other.sums.length][];
                for (int i = 0; i < sums.length; i++) {
                    sums[i] = new double[other.sums[i].length];
                }
            }
            for (int i = 0; i < sums.length; i++) {
                double[] s = sums[i];
                double[] o = other.sums[i];
                for (int j = 0; j < s.length; j++) {
                    s[j] += o[j];
                }
            }
        }
        return this;
    }

    /** Records a shard's compute time (the step's critical path is the slowest shard). */
    GradientSum computeNanos(long nanos) {
        maxComputeNanos = Math.max(maxComputeNanos, nanos);
        return this;
    }

    /** The longest time one partition spent computing its shard (model forward and backward). */
    public long maxComputeNanos() {
        return maxComputeNanos;
    }

    public long samples() {
        return samples;
    }

    public int shards() {
        return shards;
    }

    /** Whether some shard's loss was not finite (then there is no gradient). */
    public boolean nonFinite() {
        return nonFinite;
    }

    public double nonFiniteLoss() {
        return nonFiniteLoss;
    }

    /** The batch's mean loss (without regularization). */
    public double meanLoss() {
        return loss / samples;
    }

    /** The batch's mean per-output losses. */
    public double[] meanOutputLosses() {
        double[] out = outputLosses == null ? new double[0] : outputLosses.clone();
        for (int k = 0; k < out.length; k++) {
            out[k] /= samples;
        }
        return out;
    }

    /** The batch's mean gradients, rounded once to float32. */
    public List<float[]> meanGradients() {
        if (sums == null) {
            throw new IllegalStateException("no gradients were summed");
        }
        List<float[]> out = new ArrayList<>(sums.length);
        for (double[] s : sums) {
            float[] g = new float[s.length];
            for (int j = 0; j < s.length; j++) {
                g[j] = (float) (s[j] / samples);
            }
            out.add(g);
        }
        return out;
    }
}
