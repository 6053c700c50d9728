package org.rnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.tensor.Tensor;

/** Against Keras's docstring examples and windows printed by Keras 3.15 for range(10). */
class DatasetsTest {
    private static Tensor range(int n) {
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            d[i] = i;
        }
        return Tensor.of(d, n);
    }

    private static float[] floats(int... v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = v[i];
        }
        return f;
    }

    @Test
    void docstringExample1WindowsWithSamplingRateAndStride() {
        // Indices [0..98], sequence_length=10, sampling_rate=2, sequence_stride=3.
        TimeseriesDataset ds = Datasets.timeseriesDatasetFromArray(range(99), null, 10, 3, 2, 128, false, null, null, null);
        assertArrayEquals(new int[] {0, 2, 4, 6, 8, 10, 12, 14, 16, 18}, ds.windowIndices(0));
        assertArrayEquals(new int[] {3, 5, 7, 9, 11, 13, 15, 17, 19, 21}, ds.windowIndices(1));
        assertArrayEquals(new int[] {6, 8, 10, 12, 14, 16, 18, 20, 22, 24}, ds.windowIndices(2));
        assertArrayEquals(new int[] {78, 80, 82, 84, 86, 88, 90, 92, 94, 96}, ds.windowIndices(ds.size() - 1));
        Tensor x = ds.batch(0).x();
        assertArrayEquals(new int[] {27, 10}, x.shape());
        assertArrayEquals(floats(78, 80, 82, 84, 86, 88, 90, 92, 94, 96), Arrays.copyOfRange(x.data(), 260, 270));
        assertNull(ds.batch(0).y());
    }

    @Test
    void docstringExample2TemporalRegression() {
        Tensor data = range(100);
        Tensor input = data.slice(0, 90);
        Tensor targets = data.slice(10, 100);
        TimeseriesDataset ds = Datasets.timeseriesDatasetFromArray(input, targets, 10, 1);
        TimeseriesDataset.Batch b = ds.batch(0);
        assertArrayEquals(Arrays.copyOfRange(data.data(), 0, 10), Arrays.copyOfRange(b.x().data(), 0, 10));
        assertEquals(10f, b.y().data()[0]);
        assertEquals(81, ds.size());
    }

    @Test
    void docstringExample3NonOverlappingManyToMany() {
        Tensor x = range(100);
        float[] yd = new float[100];
        for (int i = 0; i < 100; i++) {
            yd[i] = 2 * i;
        }
        TimeseriesDataset in = Datasets.timeseriesDatasetFromArray(x, null, 20, 20);
        TimeseriesDataset out = Datasets.timeseriesDatasetFromArray(Tensor.of(yd, 100), null, 20, 20);
        assertArrayEquals(Arrays.copyOfRange(x.data(), 0, 20), Arrays.copyOfRange(in.batch(0).x().data(), 0, 20));
        assertArrayEquals(Arrays.copyOfRange(yd, 20, 40), Arrays.copyOfRange(out.batch(0).x().data(), 20, 40));
        assertEquals(5, in.size());
    }

    @Test
    void range10BatchesAsKeras() {
        // Keras 3.15: sequence_length=3, batch_size=4 -> [[0,1,2],[1,2,3],[2,3,4],[3,4,5]], [[4,5,6],...,[7,8,9]]
        TimeseriesDataset ds = Datasets.timeseriesDatasetFromArray(range(10), null, 3, 1, 1, 4, false, null, null, null);
        List<TimeseriesDataset.Batch> batches = ds.batches();
        assertEquals(2, batches.size());
        assertArrayEquals(floats(0, 1, 2, 1, 2, 3, 2, 3, 4, 3, 4, 5), batches.get(0).x().data());
        assertArrayEquals(floats(4, 5, 6, 5, 6, 7, 6, 7, 8, 7, 8, 9), batches.get(1).x().data());
        assertArrayEquals(new int[] {4, 3}, batches.get(1).x().shape());
    }

    @Test
    void range10WithTargetsAndPartialLastBatch() {
        // Keras: data[:-3], targets data[3:], length 3, batch 2 -> y [3,4],[5,6],[7]
        Tensor d = range(10);
        TimeseriesDataset ds = Datasets.timeseriesDatasetFromArray(d.slice(0, 7), d.slice(3, 10), 3, 1, 1, 2, false, null, null, null);
        List<TimeseriesDataset.Batch> b = ds.batches();
        assertEquals(3, b.size());
        assertArrayEquals(floats(3, 4), b.get(0).y().data());
        assertArrayEquals(floats(7), b.get(2).y().data());
        assertArrayEquals(floats(4, 5, 6), b.get(2).x().data());
    }

    @Test
    void startAndEndIndexOffsetDataAndTargets() {
        // Keras: range(10) as data and targets, length 3, stride 2, rate 2, start 1, end 9 -> x [[1,3,5],[3,5,7]], y [1,3]
        Tensor d = range(10);
        TimeseriesDataset ds = Datasets.timeseriesDatasetFromArray(d, d, 3, 2, 2, 10, false, null, 1, 9);
        TimeseriesDataset.Batch all = ds.all();
        assertArrayEquals(floats(1, 3, 5, 3, 5, 7), all.x().data());
        assertArrayEquals(floats(1, 3), all.y().data());
    }

    @Test
    void multiFeatureRowsKeepTheirFeatureAxis() {
        float[] d = new float[12];
        for (int i = 0; i < 12; i++) {
            d[i] = i;
        }
        TimeseriesDataset ds = Datasets.timeseriesDatasetFromArray(Tensor.of(d, 6, 2), null, 2, 2);
        Tensor x = ds.all().x();
        assertArrayEquals(new int[] {3, 2, 2}, x.shape());
        assertArrayEquals(floats(4, 5, 6, 7), Arrays.copyOfRange(x.data(), 4, 8));
    }

    @Test
    void shuffleIsASeededPermutationOfTheSameWindows() {
        TimeseriesDataset a = Datasets.timeseriesDatasetFromArray(range(50), null, 5, 1, 1, 8, true, 7L, null, null);
        TimeseriesDataset b = Datasets.timeseriesDatasetFromArray(range(50), null, 5, 1, 1, 8, true, 7L, null, null);
        assertArrayEquals(a.startPositions(), b.startPositions());
        int[] sorted = a.startPositions();
        Arrays.sort(sorted);
        int[] expected = new int[46];
        for (int i = 0; i < 46; i++) {
            expected[i] = i;
        }
        assertArrayEquals(expected, sorted);
        assertTrue(!Arrays.equals(expected, a.startPositions()), "shuffle left the order unchanged");
    }

    @Test
    void invalidArgumentsGiveKerasMessages() {
        Tensor d = range(10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Datasets.timeseriesDatasetFromArray(d, null, 3, 1, 1, 4, false, null, null, 10));
        assertTrue(e.getMessage().contains("`end_index` must be lower than the length of the data"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Datasets.timeseriesDatasetFromArray(d, null, 3, 0, 1, 4, false, null, null, null));
        assertTrue(e.getMessage().contains("sequence_stride=0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Datasets.timeseriesDatasetFromArray(d, null, 3, 1, 1, 4, false, null, 5, 3));
        assertTrue(e.getMessage().contains("`end_index` must be higher than `start_index`"), e.getMessage());
    }

    @Test
    void padSequencesAsKeras() {
        int[][] seqs = {{1, 2, 3}, {4, 5}, {6, 7, 8, 9, 10}};
        // Keras: maxlen=4 -> [[0,1,2,3],[0,0,4,5],[7,8,9,10]]
        assertArrayEquals(new int[][] {{0, 1, 2, 3}, {0, 0, 4, 5}, {7, 8, 9, 10}}, Datasets.padSequences(seqs, 4));
        // post/post, value -1 -> [[1,2,3,-1],[4,5,-1,-1],[6,7,8,9]]
        assertArrayEquals(new int[][] {{1, 2, 3, -1}, {4, 5, -1, -1}, {6, 7, 8, 9}},
                Datasets.padSequences(seqs, 4, "post", "post", -1));
        // maxlen None -> longest; an empty sequence is all padding
        assertArrayEquals(new int[][] {{1, 2, 3}, {0, 4, 5}, {0, 0, 0}},
                Datasets.padSequences(new int[][] {{1, 2, 3}, {4, 5}, {}}, null));
        assertThrows(IllegalArgumentException.class, () -> Datasets.padSequences(seqs, 4, "middle", "pre", 0));
    }
}
