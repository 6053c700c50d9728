package org.rnn4j.kernels;

import org.rnn4j.activations.Activation;

/**
 * A small-window channels_last convolution ({@link ConvDirect}'s case), its relu (or linear)
 * activation and a max pooling fused per sample: the convolution output of one sample and one
 * block of filters lives in a buffer of a few KiB while it is pooled, so the batch-sized
 * convolution output (5.8 MB per W5 step) and the pooling's input gradient of the same size are
 * never written. The blocks of filters run as parallel tasks ({@link Kernels#runTasks}); every
 * filter is computed by one task with exactly the unfused kernels' operations and order, so the
 * results are bit for bit those of Conv2D then MaxPooling2D, for any thread count.
 *
 * <p>Training records, per pooled output, a <em>winner code</em> instead of the convolution
 * output: {@code e}, the index among the window's real elements of the one that takes the
 * gradient (the first equal to the max; the first element for a NaN max, as
 * {@link ConvPooling#maxBackward(float[], float[], float[], int, ConvGeometry, float[])}), or
 * {@code -e - 1} when relu's gradient there is zero (the winner's value is not > 0).
 */
public final class ConvPoolFused {
    private ConvPoolFused() {
    }

    /** Whether the fused kernels can run: the Vector API bodies are there (else use the unfused layers). */
    public static boolean available() {
        return ConvDirect.VECTOR;
    }

    /** Whether {@code conv} (a convolution's geometry) suits the fused direct kernels. */
    public static boolean suits(ConvGeometry conv) {
        return ConvDirect.suits(conv);
    }

    /**
     * Filter blocks: one per kernel thread, in whole vectors, at most {@code filters / L} (one
     * block when an input gradient must be summed over all filters). Any blocking gives the
     * same results; this only sets the parallelism.
     */
    public static int blocks(int filters, boolean inputGradient) {
        if (inputGradient) {
            return 1;
        }
        int vectors = filters / ConvPoolVector.L;
        return Math.max(1, Math.min(Kernels.taskThreads(), vectors));
    }

    /** Start of filter block {@code q} of {@code blocks}: whole vectors, the last block takes the rest. */
    public static int blockStart(int filters, int q, int blocks) {
        if (q >= blocks) {
            return filters;
        }
        int vectors = filters / ConvPoolVector.L;
        return (int) ((long) vectors * q / blocks) * ConvPoolVector.L;
    }

    /** Floats of the per-block buffer for a block of {@code fb} filters: one sample's convolution output. */
    public static int bufferSize(ConvGeometry conv, int fb) {
        return conv.outputPositions() * fb;
    }

    /**
     * Forward of samples [0, batch): {@code out} ({@code [batch, pool positions, filters]}) =
     * maxpool(act(conv(x) + bias)); {@code act} is the relu or linear activation object the
     * unfused layer would apply (its vector version), {@code relu} says which. {@code win}
     * (pooled size, may be null outside training) receives the winner codes. {@code buffers[q]}
     * is block q's buffer ({@link #bufferSize}).
     */
    public static void forward(float[] x, int batch, ConvGeometry conv, float[] kernel, float[] bias, int filters,
                               Activation act, boolean relu, ConvGeometry pool, float[] out, float[] win,
                               float[][] buffers) {
        int blocks = buffers.length;
        int inSize = conv.inputSize();
        int outSize = pool.outputPositions() * filters;
        Kernels.runTasks(blocks, q -> {
            int f0 = blockStart(filters, q, blocks);
            int f1 = blockStart(filters, q + 1, blocks);
            int fb = f1 - f0;
            if (fb == 0) {
                return;
            }
            float[] buf = buffers[q];
            int[] offsets = new int[pool.kH * pool.kW];
            int pos = conv.outputPositions();
            for (int b = 0; b < batch; b++) {
                ConvPoolVector.conv(x, b * inSize, conv, kernel, bias, filters, f0, f1, buf);
                if (act != null) {
                    act.forward(buf, buf, 0, pos, fb);
                }
                ConvPoolVector.pool(buf, pool, filters, f0, f1, out, b * outSize, win, relu, offsets);
            }
        });
    }

    /**
     * Backward of {@link #forward} from the pooled output gradient {@code dy}: adds into dKernel,
     * dBias (may be null) and dx (may be null; then {@code buffers} must hold one block).
     */
    public static void backward(float[] x, int batch, ConvGeometry conv, float[] kernel, int filters,
                                ConvGeometry pool, float[] dy, float[] win, float[] dKernel, float[] dBias,
                                float[] dx, float[][] buffers) {
        int blocks = buffers.length;
        if (dx != null && blocks != 1) {
            throw new IllegalArgumentException("an input gradient sums over all filters: use one block, got " + blocks);
        }
        if (dx != null) {
            java.util.Arrays.fill(dx, 0, batch * conv.inputSize(), 0f);
        }
        int inSize = conv.inputSize();
        int outSize = pool.outputPositions() * filters;
        Kernels.runTasks(blocks, q -> {
            int f0 = blockStart(filters, q, blocks);
            int f1 = blockStart(filters, q + 1, blocks);
            if (f1 == f0) {
                return;
            }
            int[] offsets = new int[pool.kH * pool.kW];
            float[] lanes = new float[ConvPoolVector.L];
            for (int b = 0; b < batch; b++) {
                ConvPoolVector.backward(x, b * inSize, conv, kernel, filters, f0, f1, pool, dy, b * outSize, win,
                        buffers[q], offsets, dKernel, dBias, dx, lanes);
            }
        });
    }

    /** The scalar winner code of one channel {@code f} (buffer column) of a window: see the class comment. */
    static float winnerScalar(float[] buf, int[] offsets, int n, int f, float max, boolean relu) {
        int at = 0;
        for (int e = 0; e < n; e++) {
            if (buf[offsets[e] + f] == max) {
                at = e;
                break;
            }
        }
        if (relu && !(buf[offsets[at] + f] > 0f)) {
            return -at - 1f;
        }
        return at;
    }
}
