package org.rnn4j.kernels;

import org.rnn4j.activations.Activation;

/**
 * A small-window channels_last convolution ({@link ConvDirect}'s case), its relu (or linear)
 * activation and a max pooling fused per sample: the convolution output of one sample and one
 * block of filters lives in a buffer of a few KiB while it is pooled, so the batch-sized
 * convolution output (5.8 MB per W5 step) and the pooling's input gradient of the same size are
 * never written. The forward pass runs ranges of samples as parallel tasks ({@link Kernels#runTasks}), the
 * backward optionally blocks of filters; every value is computed by one task with exactly the unfused kernels' operations and order, so the
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
     * Filter blocks of the backward pass (1 by default; {@code -Drnn4j.convBackwardBlocks=N} for
     * N parallel blocks in whole vectors, always 1 with an input gradient, which sums over all
     * filters). Measured on W5 (2 cores, quiet): two blocks made the training step slower than
     * one (each block's window loop costs as much as the whole row's; 6.2 vs 4.4 ms/step), so
     * backward stays on one thread. Any blocking gives the same results.
     */
    public static int backwardBlocks(int filters, boolean inputGradient) {
        if (inputGradient) {
            return 1;
        }
        int vectors = filters / ConvPoolVector.L;
        return Math.max(1, Math.min(Math.min(BACKWARD_BLOCKS, Kernels.taskThreads()), vectors));
    }

    private static final int BACKWARD_BLOCKS = Integer.getInteger("rnn4j.convBackwardBlocks", 1);

    /** Parallel parts of the forward pass: contiguous ranges of samples, one per kernel thread. */
    public static int forwardParts(int batch) {
        return Math.max(1, Math.min(Kernels.taskThreads(), batch / 16));
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
     * is part q's buffer ({@link #bufferSize} of all filters); parts are ranges of samples.
     */
    public static void forward(float[] x, int batch, ConvGeometry conv, float[] kernel, float[] bias, int filters,
                               Activation act, boolean relu, ConvGeometry pool, float[] out, float[] win,
                               float[][] buffers) {
        int parts = buffers.length;
        int inSize = conv.inputSize();
        int outSize = pool.outputPositions() * filters;
        int pos = conv.outputPositions();
        // No bias: zeros, made once per call (ConvPoolVector.conv starts every sum from a bias row).
        float[] start = bias != null ? bias : new float[filters];
        // Parts are ranges of samples: each sample is computed whole by one task, the same way
        // whatever the parts, and the tasks write disjoint rows of out and win.
        Kernels.runTasks(parts, q -> {
            int b0 = (int) ((long) batch * q / parts);
            int b1 = (int) ((long) batch * (q + 1) / parts);
            float[] buf = buffers[q];
            int[] offsets = new int[pool.kH * pool.kW];
            int[] taps = new int[ConvPoolVector.tapsSize(conv)];
            for (int b = b0; b < b1; b++) {
                ConvPoolVector.conv(x, b * inSize, conv, kernel, start, filters, 0, filters, buf, taps);
                if (act != null) {
                    act.forward(buf, buf, 0, pos, filters);
                }
                ConvPoolVector.pool(buf, pool, filters, 0, filters, out, b * outSize, win, relu, offsets);
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
            int[] taps = new int[ConvPoolVector.tapsSize(conv)];
            // Each block accumulates into its own copy of the (small) weight gradients and writes
            // its columns back at the end: blocks updating neighbouring columns of one array
            // shared cache lines at every position (measured: W5's step 2.8x slower on 2 threads).
            // The copy starts from the current values, so every sum is formed exactly as in place.
            float[] dk = blocks == 1 ? dKernel : dKernel.clone();
            float[] db = blocks == 1 || dBias == null ? dBias : dBias.clone();
            for (int b = 0; b < batch; b++) {
                ConvPoolVector.backward(x, b * inSize, conv, kernel, filters, f0, f1, pool, dy, b * outSize, win,
                        buffers[q], offsets, dk, db, dx, lanes, taps);
            }
            if (dk != dKernel) {
                for (int r = 0; r < dKernel.length; r += filters) {
                    System.arraycopy(dk, r + f0, dKernel, r + f0, f1 - f0);
                }
            }
            if (db != dBias) {
                System.arraycopy(db, f0, dBias, f0, f1 - f0);
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
