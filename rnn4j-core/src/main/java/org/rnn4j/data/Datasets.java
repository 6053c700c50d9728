package org.rnn4j.data;

import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/** Keras's dataset helpers ({@code keras.utils.timeseries_dataset_from_array}). */
public final class Datasets {
    private Datasets() {
    }

    /**
     * Keras's {@code timeseries_dataset_from_array}: sliding windows over {@code data} (axis 0 is
     * time), each paired with {@code targets[start + p]} where {@code p} is its start position.
     *
     * @param data           {@code [steps, ...]}
     * @param targets        {@code [steps, ...]} or null (then batches have no {@code y})
     * @param sequenceLength window length in steps
     * @param sequenceStride steps between the starts of successive windows
     * @param samplingRate   steps between successive rows within a window
     * @param batchSize      windows per batch; 0 means unbatched (Keras's None)
     * @param shuffle        shuffle the windows (with {@code seed}; Keras's numpy RNG is not reproduced)
     * @param seed           shuffle seed, or null for a random one
     * @param startIndex     first usable data row, or null for 0
     * @param endIndex       first unusable data row (exclusive), or null for {@code steps}
     */
    public static TimeseriesDataset timeseriesDatasetFromArray(Tensor data, Tensor targets, int sequenceLength,
                                                               int sequenceStride, int samplingRate, int batchSize,
                                                               boolean shuffle, Long seed, Integer startIndex,
                                                               Integer endIndex) {
        int n = data.dim(0);
        // The checks and messages follow Keras (timeseries_dataset_utils.py), including its
        // "falsy" treatment of start_index=0 / end_index=0 and end_index < len(data).
        if (startIndex != null && startIndex != 0) {
            if (startIndex < 0) {
                throw new IllegalArgumentException("`start_index` must be 0 or greater. Received: start_index=" + startIndex);
            }
            if (startIndex >= n) {
                throw new IllegalArgumentException("`start_index` must be lower than the length of the data. Received: start_index="
                        + startIndex + ", for data of length " + n);
            }
        }
        if (endIndex != null && endIndex != 0) {
            if (startIndex != null && startIndex != 0 && endIndex <= startIndex) {
                throw new IllegalArgumentException("`end_index` must be higher than `start_index`. Received: start_index="
                        + startIndex + ", and end_index=" + endIndex);
            }
            if (endIndex >= n) {
                throw new IllegalArgumentException("`end_index` must be lower than the length of the data. Received: end_index="
                        + endIndex + ", for data of length " + n);
            }
            if (endIndex <= 0) {
                throw new IllegalArgumentException("`end_index` must be higher than 0. Received: end_index=" + endIndex);
            }
        }
        if (samplingRate <= 0) {
            throw new IllegalArgumentException("`sampling_rate` must be higher than 0. Received: sampling_rate=" + samplingRate);
        }
        if (samplingRate >= n) {
            throw new IllegalArgumentException("`sampling_rate` must be lower than the length of the data. Received: sampling_rate="
                    + samplingRate + ", for data of length " + n);
        }
        if (sequenceStride <= 0) {
            throw new IllegalArgumentException("`sequence_stride` must be higher than 0. Received: sequence_stride=" + sequenceStride);
        }
        if (sequenceStride >= n) {
            throw new IllegalArgumentException("`sequence_stride` must be lower than the length of the data. Received: sequence_stride="
                    + sequenceStride + ", for data of length " + n);
        }
        if (sequenceLength <= 0) {
            throw new IllegalArgumentException("`sequence_length` must be higher than 0. Received: sequence_length=" + sequenceLength);
        }
        if (batchSize < 0) {
            throw new IllegalArgumentException("`batch_size` must be positive, or 0 for unbatched. Received: batch_size=" + batchSize);
        }
        int start = startIndex == null ? 0 : startIndex;
        int end = endIndex == null ? n : endIndex;
        long numSeqs = (long) end - start - (long) (sequenceLength - 1) * samplingRate;
        if (targets != null) {
            numSeqs = Math.min(numSeqs, targets.dim(0));
        }
        int count = numSeqs <= 0 ? 0 : (int) ((numSeqs + sequenceStride - 1) / sequenceStride);
        int[] positions = new int[count];
        for (int i = 0; i < count; i++) {
            positions[i] = i * sequenceStride;
        }
        if (shuffle) {
            Rng rng = new Rng(seed != null ? seed : System.nanoTime());
            for (int i = count - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = positions[i];
                positions[i] = positions[j];
                positions[j] = t;
            }
        }
        return new TimeseriesDataset(data, targets, positions, sequenceLength, samplingRate, start, batchSize);
    }

    /** The common case: no shuffling, the whole array, Keras's default batch size of 128. */
    public static TimeseriesDataset timeseriesDatasetFromArray(Tensor data, Tensor targets, int sequenceLength,
                                                               int sequenceStride) {
        return timeseriesDatasetFromArray(data, targets, sequenceLength, sequenceStride, 1, 128, false, null, null, null);
    }

    /**
     * Keras's {@code pad_sequences} (int output): pads or truncates every sequence to
     * {@code maxlen} (null = the longest). {@code padding} and {@code truncating} are
     * {@code "pre"} (Keras's default) or {@code "post"}.
     */
    public static int[][] padSequences(int[][] sequences, Integer maxlen, String padding, String truncating, int value) {
        if (!"pre".equals(padding) && !"post".equals(padding)) {
            throw new IllegalArgumentException("padding type \"" + padding + "\" not understood; use \"pre\" or \"post\"");
        }
        if (!"pre".equals(truncating) && !"post".equals(truncating)) {
            throw new IllegalArgumentException("truncating type \"" + truncating + "\" not understood; use \"pre\" or \"post\"");
        }
        int len = 0;
        if (maxlen != null) {
            if (maxlen < 0) {
                throw new IllegalArgumentException("maxlen must be 0 or more, got " + maxlen);
            }
            len = maxlen;
        } else {
            for (int[] s : sequences) {
                len = Math.max(len, s.length);
            }
        }
        int[][] out = new int[sequences.length][len];
        for (int i = 0; i < sequences.length; i++) {
            int[] s = sequences[i];
            java.util.Arrays.fill(out[i], value);
            int keep = Math.min(len, s.length);
            int srcFrom = "pre".equals(truncating) ? s.length - keep : 0;
            int dstFrom = "post".equals(padding) ? 0 : len - keep;
            System.arraycopy(s, srcFrom, out[i], dstFrom, keep);
        }
        return out;
    }

    /** {@code pad_sequences} with Keras's defaults: pre padding, pre truncating, value 0. */
    public static int[][] padSequences(int[][] sequences, Integer maxlen) {
        return padSequences(sequences, maxlen, "pre", "pre", 0);
    }

    /** Int rows as a float tensor {@code [rows, cols]} (model input for Embedding). */
    public static Tensor toTensor(int[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] d = new float[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < cols; j++) {
                d[i * cols + j] = rows[i][j];
            }
        }
        return Tensor.of(d, rows.length, cols);
    }
}
