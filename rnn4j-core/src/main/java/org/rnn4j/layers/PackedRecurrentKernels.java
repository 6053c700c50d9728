package org.rnn4j.layers;

import java.util.Arrays;
import org.rnn4j.kernels.MatMul;
import org.rnn4j.kernels.PackedMatrix;

/**
 * The recurrent kernel U (and U^T) of one layer, packed once per forward or backward pass for the
 * per-step matmuls, one handle per gate range. Handles are re-packed in place, so nothing is
 * allocated per pass once sized.
 */
final class PackedRecurrentKernels {
    // Gate ranges [from, to) with to <= 4 are keyed as from * 5 + to.
    private final PackedMatrix[] packedU = new PackedMatrix[25];
    private final PackedMatrix[] packedUT = new PackedMatrix[25];
    private final boolean[] packedUFresh = new boolean[25];
    private final boolean[] packedUTFresh = new boolean[25];
    private MatMul packedBy;

    /** U may have changed (a new forward pass): re-pack before the next use. */
    void invalidateForward() {
        Arrays.fill(packedUFresh, false);
    }

    /** U^T may have changed (a new backward pass): re-pack before the next use. */
    void invalidateBackward() {
        Arrays.fill(packedUTFresh, false);
    }

    /**
     * U[:, gates gateFrom..gateTo) ({@code [H, n*H]}), or with {@code transposed} the rows
     * gateFrom*H..gateTo*H of U^T ({@code [n*H, H]}), packed for {@code matmul}.
     */
    PackedMatrix get(MatMul matmul, boolean transposed, int gateFrom, int gateTo, int units, int gateCount,
                     float[] u, float[] uT) {
        if (packedBy != matmul) {
            // Handles belong to the matmul that made them (tests may switch to the scalar one).
            Arrays.fill(packedU, null);
            Arrays.fill(packedUT, null);
            invalidateForward();
            invalidateBackward();
            packedBy = matmul;
        }
        int key = gateFrom * 5 + gateTo;
        PackedMatrix[] handles = transposed ? packedUT : packedU;
        boolean[] fresh = transposed ? packedUTFresh : packedUFresh;
        if (fresh[key]) {
            return handles[key];
        }
        int h = units;
        int gh = gateCount * h;
        int cols = (gateTo - gateFrom) * h;
        float[] src = transposed ? uT : u;
        int k = transposed ? cols : h;
        int n = transposed ? h : cols;
        int off = transposed ? gateFrom * h * h : gateFrom * h;
        int ld = transposed ? h : gh;
        if (handles[key] == null) {
            handles[key] = matmul.pack(false, k, n, src, off, ld);
        } else {
            handles[key].repack(false, k, n, src, off, ld);
        }
        fresh[key] = true;
        return handles[key];
    }
}
