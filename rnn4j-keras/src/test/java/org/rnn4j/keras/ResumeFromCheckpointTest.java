package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.callbacks.History;
import org.rnn4j.callbacks.ModelCheckpoint;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.LSTM;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Model;
import org.rnn4j.models.Sequential;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.tensor.Tensor;

/**
 * {@code fit} resumed from a {@code ModelCheckpoint} file with {@code initialEpoch} continues
 * exactly where the interrupted run stopped: the file carries the weights, the compile config and
 * the optimizer state (Adam's step count and moments), so the resumed run ends with the weights
 * and the epoch logs of an uninterrupted one, bit for bit.
 */
class ResumeFromCheckpointTest {
    @TempDir
    Path dir;

    private static Sequential model() {
        Sequential m = new Sequential().seed(7);
        m.add(new LSTM(6).inputShape(5, 3));
        m.add(new Dense(2));
        m.compile(new Adam(0.01), "mse", "mae");
        return m;
    }

    @Test
    void resumedFitEqualsAnUninterruptedOne() throws Exception {
        float[] xs = new float[40 * 5 * 3];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) Math.sin(i * 0.31);
        }
        float[] ys = new float[40 * 2];
        for (int i = 0; i < ys.length; i++) {
            ys[i] = (float) Math.cos(i * 0.17);
        }
        Tensor x = Tensor.of(xs, 40, 5, 3);
        Tensor y = Tensor.of(ys, 40, 2);
        FitOptions common = FitOptions.epochs(4).batchSize(8).shuffle(false).verbose(0);

        Sequential whole = model();
        History all = whole.fit(x, y, common);

        Path ckpt = dir.resolve("ckpt.keras");
        Sequential first = model();
        first.fit(x, y, FitOptions.epochs(2).batchSize(8).shuffle(false).verbose(0)
                .callbacks(new ModelCheckpoint(ckpt.toString())));
        Model resumed = KerasModels.load(ckpt);
        assertEquals(10, resumed.optimizer().iterations(), "the checkpoint holds Adam's step count");
        History rest = resumed.fit(x, y, FitOptions.epochs(4).batchSize(8).shuffle(false).verbose(0).initialEpoch(2));

        assertEquals(all.get("loss").subList(2, 4), rest.get("loss"), "epochs 3 and 4 logged the same");
        List<Tensor> want = whole.getWeights();
        List<Tensor> got = resumed.getWeights();
        for (int i = 0; i < want.size(); i++) {
            assertArrayEquals(want.get(i).data(), got.get(i).data(), "weight " + i + " after the resumed fit");
        }
        assertEquals(whole.optimizer().iterations(), resumed.optimizer().iterations());
        assertEquals(List.of(), Files.list(dir).filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList());
    }
}
