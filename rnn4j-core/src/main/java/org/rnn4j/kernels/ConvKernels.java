package org.rnn4j.kernels;

/**
 * Channels_last convolution as im2col + {@link Kernels#matmul()}, so a faster matmul speeds it up.
 * Samples are processed in chunks so the column buffer stays bounded (about 4 MB).
 * {@link ConvReference} holds the direct loops these are tested against.
 */
public final class ConvKernels {
    private static final int CHUNK_FLOATS = 1 << 20;

    private ConvKernels() {
    }

    /** True when the column matrix equals the input itself (1x1 window, stride 1). */
    private static boolean identityPatches(ConvGeometry g) {
        return g.kH == 1 && g.kW == 1 && g.strideH == 1 && g.strideW == 1 && g.padTop == 0 && g.padLeft == 0;
    }

    private static int chunkSamples(ConvGeometry g, int batch) {
        long perSample = (long) g.outputPositions() * g.patchSize();
        return (int) Math.max(1, Math.min(batch, CHUNK_FLOATS / Math.max(1, perSample)));
    }

    /**
     * {@code out[b, oh, ow, f] = bias[f] + sum_{i,j,c} x[b, oh*s-pad+i*d, ow*s-pad+j*d, c] * kernel[i, j, c, f]}.
     * {@code bias} may be null. {@code out} holds {@code batch * outH * outW * filters} values.
     */
    public static void forward(float[] x, int batch, ConvGeometry g, float[] kernel, float[] bias, int filters,
                               float[] out) {
        MatMul mm = Kernels.matmul();
        int pos = g.outputPositions();
        int patch = g.patchSize();
        if (bias != null) {
            for (int r = 0, rows = batch * pos; r < rows; r++) {
                System.arraycopy(bias, 0, out, r * filters, filters);
            }
        }
        if (identityPatches(g)) {
            mm.gemm(false, false, batch * pos, filters, patch, x, 0, patch, kernel, 0, filters, out, 0, filters,
                    bias != null);
            return;
        }
        int chunk = chunkSamples(g, batch);
        float[] cols = new float[chunk * pos * patch];
        for (int b0 = 0; b0 < batch; b0 += chunk) {
            int n = Math.min(chunk, batch - b0);
            for (int s = 0; s < n; s++) {
                ConvIm2Col.im2col(x, (b0 + s) * g.inputSize(), g, cols, s * pos * patch);
            }
            mm.gemm(false, false, n * pos, filters, patch, cols, 0, patch, kernel, 0, filters,
                    out, b0 * pos * filters, filters, bias != null);
        }
    }

    /**
     * Given {@code dz = dLoss/d(pre-activation output)}: adds the kernel and bias gradients into
     * {@code dKernel} and {@code dBias} (may be null) and writes the input gradient into {@code dx}.
     */
    public static void backward(float[] x, int batch, ConvGeometry g, float[] kernel, int filters, float[] dz,
                                float[] dKernel, float[] dBias, float[] dx) {
        MatMul mm = Kernels.matmul();
        int pos = g.outputPositions();
        int patch = g.patchSize();
        if (dBias != null) {
            for (int r = 0, rows = batch * pos; r < rows; r++) {
                int o = r * filters;
                for (int f = 0; f < filters; f++) {
                    dBias[f] += dz[o + f];
                }
            }
        }
        if (dx == null) {
            kernelGradientOnly(x, batch, g, filters, dz, dKernel);
            return;
        }
        // kernel^T as a dense [filters, patch] matrix: d(cols) = dz . kernel^T then reads B row by
        // row, which any matmul (the scalar one especially) streams faster than a transposed view.
        float[] kernelT = new float[filters * patch];
        for (int p = 0; p < patch; p++) {
            for (int f = 0; f < filters; f++) {
                kernelT[f * patch + p] = kernel[p * filters + f];
            }
        }
        if (identityPatches(g)) {
            mm.gemm(true, false, patch, filters, batch * pos, x, 0, patch, dz, 0, filters, dKernel, 0, filters, true);
            mm.gemm(false, false, batch * pos, patch, filters, dz, 0, filters, kernelT, 0, patch, dx, 0, patch, false);
            return;
        }
        java.util.Arrays.fill(dx, 0, batch * g.inputSize(), 0f);
        int chunk = chunkSamples(g, batch);
        float[] cols = new float[chunk * pos * patch];
        for (int b0 = 0; b0 < batch; b0 += chunk) {
            int n = Math.min(chunk, batch - b0);
            int rows = n * pos;
            int dzOff = b0 * pos * filters;
            for (int s = 0; s < n; s++) {
                ConvIm2Col.im2col(x, (b0 + s) * g.inputSize(), g, cols, s * pos * patch);
            }
            mm.gemm(true, false, patch, filters, rows, cols, 0, patch, dz, dzOff, filters, dKernel, 0, filters, true);
            // Reuse the buffer for d(cols) now that the kernel gradient is taken.
            mm.gemm(false, false, rows, patch, filters, dz, dzOff, filters, kernelT, 0, patch, cols, 0, patch, false);
            for (int s = 0; s < n; s++) {
                ConvIm2Col.col2imAdd(cols, s * pos * patch, g, dx, (b0 + s) * g.inputSize());
            }
        }
    }

    /** dKernel += cols^T dz without the input gradient (a model's first layer in training). */
    private static void kernelGradientOnly(float[] x, int batch, ConvGeometry g, int filters, float[] dz,
                                           float[] dKernel) {
        MatMul mm = Kernels.matmul();
        int pos = g.outputPositions();
        int patch = g.patchSize();
        if (identityPatches(g)) {
            mm.gemm(true, false, patch, filters, batch * pos, x, 0, patch, dz, 0, filters, dKernel, 0, filters, true);
            return;
        }
        int chunk = chunkSamples(g, batch);
        float[] cols = new float[chunk * pos * patch];
        for (int b0 = 0; b0 < batch; b0 += chunk) {
            int n = Math.min(chunk, batch - b0);
            for (int s = 0; s < n; s++) {
                ConvIm2Col.im2col(x, (b0 + s) * g.inputSize(), g, cols, s * pos * patch);
            }
            mm.gemm(true, false, patch, filters, n * pos, cols, 0, patch, dz, b0 * pos * filters, filters,
                    dKernel, 0, filters, true);
        }
    }
}
