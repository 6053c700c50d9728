package org.rnn4j.data;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.tensor.Tensor;

/**
 * The windows made by {@link Datasets#timeseriesDatasetFromArray}: Keras's dataset, held as the
 * list of window start positions so that nothing is copied until a batch (or the whole set) is
 * asked for. Window {@code i} covers rows {@code start + p[i] + j*samplingRate},
 * {@code j < sequenceLength}, of the data; its target is row {@code start + p[i]} of the targets.
 */
public final class TimeseriesDataset {
    /** One batch: {@code x} is {@code [batch, sequenceLength, features...]}, {@code y} may be null. */
    public record Batch(Tensor x, Tensor y) {
    }

    private final Tensor data;
    private final Tensor targets;
    private final int[] positions;
    private final int sequenceLength;
    private final int samplingRate;
    private final int startIndex;
    private final int batchSize;

    TimeseriesDataset(Tensor data, Tensor targets, int[] positions, int sequenceLength, int samplingRate,
                      int startIndex, int batchSize) {
        this.data = data;
        this.targets = targets;
        this.positions = positions;
        this.sequenceLength = sequenceLength;
        this.samplingRate = samplingRate;
        this.startIndex = startIndex;
        this.batchSize = batchSize;
    }

    /** Number of windows (Keras: the number of samples over all batches). */
    public int size() {
        return positions.length;
    }

    /** The window start positions relative to {@code startIndex}, in output order. */
    public int[] startPositions() {
        return positions.clone();
    }

    /** The data row indices of window {@code i}. */
    public int[] windowIndices(int i) {
        int[] idx = new int[sequenceLength];
        for (int j = 0; j < sequenceLength; j++) {
            idx[j] = startIndex + positions[i] + j * samplingRate;
        }
        return idx;
    }

    /** The row of the targets that window {@code i} is paired with. */
    public int targetIndex(int i) {
        return startIndex + positions[i];
    }

    public boolean hasTargets() {
        return targets != null;
    }

    /** Number of batches; a batch size of 0 (Keras's None) means one window per batch. */
    public int numBatches() {
        int b = effectiveBatchSize();
        return (positions.length + b - 1) / b;
    }

    private int effectiveBatchSize() {
        return batchSize <= 0 ? 1 : batchSize;
    }

    /** Batch {@code b}: windows {@code [b*batchSize, min(size, (b+1)*batchSize))}. */
    public Batch batch(int b) {
        int bs = effectiveBatchSize();
        int from = b * bs;
        if (b < 0 || from >= positions.length) {
            throw new IndexOutOfBoundsException("Batch " + b + " out of range: the dataset has " + numBatches() + " batches");
        }
        return windows(from, Math.min(positions.length, from + bs));
    }

    public List<Batch> batches() {
        List<Batch> out = new ArrayList<>(numBatches());
        for (int b = 0; b < numBatches(); b++) {
            out.add(batch(b));
        }
        return out;
    }

    /** All windows as one {@code (x, y)} pair, handy for {@code fit(x, y, ...)}. */
    public Batch all() {
        return windows(0, positions.length);
    }

    private Batch windows(int from, int to) {
        int n = to - from;
        int rowSize = rowSize(data);
        int[] xShape = new int[data.rank() + 1];
        xShape[0] = n;
        xShape[1] = sequenceLength;
        for (int d = 1; d < data.rank(); d++) {
            xShape[d + 1] = data.dim(d);
        }
        float[] xs = new float[n * sequenceLength * rowSize];
        float[] src = data.data();
        int p = 0;
        for (int i = from; i < to; i++) {
            int row = startIndex + positions[i];
            for (int j = 0; j < sequenceLength; j++, row += samplingRate) {
                System.arraycopy(src, row * rowSize, xs, p, rowSize);
                p += rowSize;
            }
        }
        Tensor x = Tensor.of(xs, xShape);
        Tensor y = null;
        if (targets != null) {
            int tRow = rowSize(targets);
            int[] yShape = targets.shape();
            yShape[0] = n;
            float[] ys = new float[n * tRow];
            for (int i = from; i < to; i++) {
                System.arraycopy(targets.data(), (startIndex + positions[i]) * tRow, ys, (i - from) * tRow, tRow);
            }
            y = Tensor.of(ys, yShape);
        }
        return new Batch(x, y);
    }

    private static int rowSize(Tensor t) {
        return t.dim(0) == 0 ? 0 : t.size() / t.dim(0);
    }
}
