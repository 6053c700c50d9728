package org.rnn4j.layers;

import java.util.List;
import org.rnn4j.activations.Activation;
import org.rnn4j.kernels.ConvGeometry;
import org.rnn4j.kernels.ConvPoolFused;
import org.rnn4j.kernels.Kernels;
import org.rnn4j.tensor.Tensor;

/**
 * Conv2D (relu or linear, small window) directly followed by MaxPooling2D, both channels_last,
 * either bare or both wrapped in TimeDistributed, run as one fused kernel
 * ({@link ConvPoolFused}): the per-sample convolution output stays in cache and neither the
 * batch-sized convolution output nor the pooling's input gradient is materialised. Models use it
 * for two consecutive nodes when nothing else reads the convolution's output; the numbers are
 * bit for bit those of the two layers (weights and gradients are the Conv2D's own variables).
 * Per-call state lives in the {@link LayerContext} passed in, as for a layer.
 */
public final class ConvPoolFusion {
    private final BaseConv<?> conv;
    private final BasePooling<?> pool;
    private final boolean timeDistributed;
    private final boolean relu;

    /** What a training forward pass records for backward, and the reused buffers. */
    private static final class State {
        Tensor input;          // folded [N, H, W, C]
        ConvGeometry convGeometry;
        ConvGeometry poolGeometry;
        float[] winners = new float[0];
        float[][] buffers = new float[0][];
        int batch;
        int[] inputShape;
        boolean recorded;
    }

    private ConvPoolFusion(BaseConv<?> conv, BasePooling<?> pool, boolean timeDistributed) {
        this.conv = conv;
        this.pool = pool;
        this.timeDistributed = timeDistributed;
        this.relu = conv.activation().name().equals("relu");
    }

    /**
     * The fusion of {@code first} then {@code second} when they are a fusable Conv2D and
     * MaxPooling2D (both bare or both in TimeDistributed) and the fused kernels are available,
     * else null.
     */
    public static ConvPoolFusion of(Layer first, Layer second) {
        if (!ConvPoolFused.available()) {
            return null;
        }
        boolean td = first instanceof TimeDistributed && second instanceof TimeDistributed;
        Layer a = td ? ((TimeDistributed) first).layer() : first;
        Layer b = td ? ((TimeDistributed) second).layer() : second;
        if (a.getClass() != Conv2D.class || b.getClass() != MaxPooling2D.class) {
            return null;
        }
        Conv2D c = (Conv2D) a;
        MaxPooling2D p = (MaxPooling2D) b;
        String act = c.activation().name();
        boolean ok = c.groups() == 1 && c.dataFormat().equals(DataFormat.LAST) && p.dataFormat().equals(DataFormat.LAST)
                && (act.equals("relu") || act.equals("linear"));
        for (int d : c.dilationRate()) {
            ok &= d == 1;
        }
        int[] k = c.kernelSize();
        ok &= c.isBuilt() && p.isBuilt();
        // Activity regularizers need the convolution's (or the wrapped layers') outputs.
        ok &= first.activityRegularizer() == null && second.activityRegularizer() == null
                && c.activityRegularizer() == null && p.activityRegularizer() == null;
        if (!ok) {
            return null;
        }
        int[] in = c.inputShape();
        if (in == null || in.length != 3 || in[2] <= 0 || k[0] * k[1] * in[2] > org.rnn4j.kernels.ConvDirect.MAX_PATCH) {
            return null;
        }
        return new ConvPoolFusion(c, p, td);
    }

    /**
     * The pooled output for {@code x}, or null when this input does not fit the fused path
     * (another rank or shape): the caller then runs the two layers, which report the error.
     */
    public Tensor forward(Tensor x, boolean training, LayerContext ctx) {
        int lead = timeDistributed ? 2 : 1;
        if (x.rank() != lead + 3) {
            return null;
        }
        int[] built = conv.inputShape();
        int h = x.dim(lead);
        int w = x.dim(lead + 1);
        int ch = x.dim(lead + 2);
        if (ch != built[2] || (built[0] >= 0 && built[0] != h) || (built[1] >= 0 && built[1] != w)) {
            return null;
        }
        int[] ks = conv.kernelSize();
        int[] st = conv.strides();
        ConvGeometry g = ConvGeometry.of(h, w, ch, ks[0], ks[1], st[0], st[1], 1, 1, conv.padding());
        if (g.outH < 1 || g.outW < 1 || !ConvPoolFused.suits(g)) {
            return null;
        }
        int[] ps = pool.poolSize();
        int[] pst = pool.strides();
        ConvGeometry pg = ConvGeometry.of(g.outH, g.outW, conv.filters(), ps[0], ps[1], pst[0], pst[1], 1, 1,
                pool.padding());
        if (pg.outH < 1 || pg.outW < 1) {
            return null;
        }
        int n = x.dim(0) * (timeDistributed ? x.dim(1) : 1);
        int filters = conv.filters();
        State s = ctx.state(State::new);
        s.recorded = false;
        ensureBuffers(s, ConvPoolFused.forwardParts(n), g);
        int pooled = n * pg.outputPositions() * filters;
        float[] out = new float[pooled];
        float[] win = null;
        if (training) {
            if (s.winners.length < pooled) {
                s.winners = new float[pooled];
            }
            win = s.winners;
        }
        List<Variable> wts = conv.weights();
        float[] kernel = wts.get(0).value().data();
        float[] bias = conv.useBias() ? wts.get(1).value().data() : null;
        Activation act = relu ? Kernels.activation(conv.activation()) : null;
        ConvPoolFused.forward(x.data(), n, g, kernel, bias, filters, act, relu, pg, out, win, s.buffers);
        if (training) {
            s.input = x;
            s.inputShape = x.shape();
            s.batch = n;
            s.convGeometry = g;
            s.poolGeometry = pg;
            s.recorded = true;
        }
        int[] shape = timeDistributed
                ? new int[] {x.dim(0), x.dim(1), pg.outH, pg.outW, filters}
                : new int[] {x.dim(0), pg.outH, pg.outW, filters};
        return Tensor.of(out, shape);
    }

    /** One buffer per parallel part, each one sample's whole convolution output. */
    private void ensureBuffers(State s, int blocks, ConvGeometry g) {
        if (s.buffers.length != blocks) {
            s.buffers = new float[blocks][];
        }
        int size = ConvPoolFused.bufferSize(g, conv.filters());
        for (int q = 0; q < blocks; q++) {
            if (s.buffers[q] == null || s.buffers[q].length < size) {
                s.buffers[q] = new float[size];
            }
        }
    }

    /** The input gradient (null unless {@code ctx} needs it) from the pooled output's gradient. */
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        State s = ctx.existingState();
        if (s == null || !s.recorded) {
            throw new IllegalStateException("Layers '" + conv.name() + "' and '" + pool.name()
                    + "': backward needs a preceding training forward pass");
        }
        int filters = conv.filters();
        int pooled = s.batch * s.poolGeometry.outputPositions() * filters;
        if (gradOutput.size() != pooled) {
            throw new IllegalArgumentException("Layers '" + conv.name() + "' and '" + pool.name() + "': output gradient has "
                    + gradOutput.size() + " values but the pooled output had " + pooled);
        }
        boolean needInput = ctx.inputGradientNeeded();
        int blocks = ConvPoolFused.backwardBlocks(filters, needInput);
        ensureBuffers(s, blocks, s.convGeometry);
        float[] dx = needInput ? new float[s.input.size()] : null;
        List<Variable> wts = conv.weights();
        float[] kernel = wts.get(0).value().data();
        float[] dKernel = wts.get(0).grad().data();
        float[] dBias = conv.useBias() ? wts.get(1).grad().data() : null;
        ConvPoolFused.backward(s.input.data(), s.batch, s.convGeometry, kernel, filters, s.poolGeometry,
                gradOutput.data(), s.winners, dKernel, dBias, dx, s.buffers);
        return dx == null ? null : Tensor.of(dx, s.inputShape);
    }
}
