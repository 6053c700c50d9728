package org.rnn4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.rnn4j.data.Datasets;
import org.rnn4j.data.TimeseriesDataset;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.GRU;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Sequential;
import org.rnn4j.optimizers.SGD;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

/** DataFrames become samples on the executors: (x, y) rows, and time series windowed as Keras does. */
class SparkDataTest {
    private static final StructType SERIES = new StructType()
            .add("id", DataTypes.StringType)
            .add("data", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.DoubleType)))
            .add("target", DataTypes.createArrayType(DataTypes.FloatType));

    private static Row series(String id, Tensor data, Tensor target) {
        List<List<Double>> rows = new ArrayList<>();
        for (int t = 0; t < data.dim(0); t++) {
            List<Double> r = new ArrayList<>();
            for (int f = 0; f < data.dim(1); f++) {
                r.add((double) data.data()[t * data.dim(1) + f]);
            }
            rows.add(r);
        }
        List<Float> tg = new ArrayList<>();
        for (float v : target.data()) {
            tg.add(v);
        }
        return RowFactory.create(id, rows, tg);
    }

    private static float[] roundTrip(float[] a) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (float) (double) a[i];
        }
        return out;
    }

    @Test
    void windowsOfEachSeriesAreTimeseriesDatasetFromArrayWindows() {
        SparkSession spark = TestSpark.get();
        Tensor a = GradientCheck.randn(51, 1f, 23, 3);
        Tensor ta = GradientCheck.randn(52, 1f, 23);
        Tensor b = GradientCheck.randn(53, 1f, 17, 3);
        Tensor tb = GradientCheck.randn(54, 1f, 17);
        Dataset<Row> df = spark.createDataFrame(List.of(series("a", a, ta), series("b", b, tb)), SERIES).repartition(2);
        df = df.sort("id");
        SparkData.Windows spec = SparkData.Windows.of("data", "target", 5).sequenceStride(2).samplingRate(2)
                .targetShift(3);
        List<Sample> got = SparkData.timeseriesWindows(df, spec).collect();

        List<Sample> expected = new ArrayList<>();
        for (Tensor[] s : new Tensor[][] {{a, ta}, {b, tb}}) {
            int steps = s[0].dim(0);
            TimeseriesDataset ds = Datasets.timeseriesDatasetFromArray(s[0].slice(0, steps - 3), s[1].slice(3, steps),
                    5, 2, 2, 1, false, null, null, null);
            for (TimeseriesDataset.Batch w : ds.batches()) {
                expected.add(Sample.of(w.x().data(), new int[] {5, 3}, w.y().data(), new int[0]));
            }
        }
        assertEquals(expected.size(), got.size());
        assertTrue(got.size() > 6);
        for (int i = 0; i < got.size(); i++) {
            assertArrayEquals(roundTrip(expected.get(i).x(0)), got.get(i).x(0), "window " + i);
            assertArrayEquals(expected.get(i).y(0), got.get(i).y(0), "target " + i);
            assertArrayEquals(new int[] {5, 3}, got.get(i).xShape(0));
        }
    }

    @Test
    void trainingOnWindowedSeriesEqualsFitOnTheSameWindows() {
        SparkSession spark = TestSpark.get();
        Tensor a = GradientCheck.randn(61, 1f, 40, 2);
        Tensor ta = GradientCheck.randn(62, 1f, 40, 1);
        StructType schema = new StructType()
                .add("data", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType)))
                .add("target", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType)));
        List<List<Float>> d = new ArrayList<>();
        List<List<Float>> t = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            d.add(List.of(a.data()[2 * i], a.data()[2 * i + 1]));
            t.add(List.of(ta.data()[i]));
        }
        Dataset<Row> df = spark.createDataFrame(List.of(RowFactory.create(d, t)), schema);
        SparkData.Windows spec = SparkData.Windows.of("data", "target", 6).targetShift(6);

        Sequential onSpark = model();
        new SparkTrainer(spark, onSpark).partitions(2)
                .fit(SparkData.timeseriesWindows(df, spec), FitOptions.epochs(2).batchSize(10).shuffle(false).verbose(0));

        TimeseriesDataset ds = Datasets.timeseriesDatasetFromArray(a.slice(0, 34), ta.slice(6, 40), 6, 1, 1, 0,
                false, null, null, null);
        Sequential local = model();
        local.fit(ds.all().x(), ds.all().y(), FitOptions.epochs(2).batchSize(10).shuffle(false).verbose(0));
        double diff = TestSpark.maxDiff(TestSpark.weights(local), TestSpark.weights(onSpark));
        assertTrue(diff <= 1e-5, "max |diff| " + diff);
    }

    @Test
    void rowsWithArrayAndScalarColumnsBecomeSamples() {
        SparkSession spark = TestSpark.get();
        StructType schema = new StructType()
                .add("x", DataTypes.createArrayType(DataTypes.DoubleType))
                .add("y", DataTypes.DoubleType);
        Dataset<Row> df = spark.createDataFrame(List.of(RowFactory.create(List.of(1.0, 2.0, 3.0), 0.5),
                RowFactory.create(List.of(4.0, 5.0, 6.0), -1.5)), schema);
        List<Sample> s = SparkData.samples(df, "x", "y").collect();
        assertArrayEquals(new float[] {4, 5, 6}, s.get(1).x(0));
        assertArrayEquals(new int[] {3}, s.get(1).xShape(0));
        assertArrayEquals(new float[] {-1.5f}, s.get(1).y(0));
        assertArrayEquals(new int[0], s.get(1).yShape(0));
    }

    private static Sequential model() {
        Sequential m = new Sequential().seed(71);
        m.add(new GRU(3).inputShape(6, 2));
        m.add(new Dense(1));
        m.compile(new SGD(0.05), "mse");
        return m;
    }
}
