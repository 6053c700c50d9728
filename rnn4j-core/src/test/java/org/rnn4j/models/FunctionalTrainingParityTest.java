package org.rnn4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.GRU;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.SymbolicTensor;
import org.rnn4j.layers.merging.Add;
import org.rnn4j.layers.recurrent.ConvLSTM;
import org.rnn4j.layers.merging.Concatenate;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.optimizers.Optimizer;
import org.rnn4j.optimizers.RMSprop;
import org.rnn4j.optimizers.SGD;
import org.rnn4j.tensor.Tensor;

/** Functional models trained two steps in Java give Keras 3's weights and logs (references in keras-train/). */
class FunctionalTrainingParityTest {
    @Test
    void twoOutputsWithLossWeightsAndPerOutputMetricsMatchKeras() throws Exception {
        KerasTrainRefs refs = new KerasTrainRefs("two_output");
        SymbolicTensor in = Input.of(7, 3);
        SymbolicTensor h = new GRU(6).name("gru").call(in);
        SymbolicTensor reg = new Dense(2).name("reg").call(h);
        SymbolicTensor cls = new Dense(3).activation("softmax").name("cls").call(h);
        Model model = new Model(List.of(in), List.of(reg, cls));
        assertEquals(List.of("reg", "cls"), model.outputNames());
        refs.loadInitialWeights(model);
        List<Tensor> x = refs.arrays("x");
        List<Tensor> y = refs.arrays("y");
        List<Tensor> p0 = refs.arrays("p0_");
        List<Tensor> pred = model.predict(x);
        for (int k = 0; k < 2; k++) {
            assertTrue(pred.get(k).maxAbsDiff(p0.get(k)) < 1e-5, "prediction " + k);
        }
        model.compile(CompileOptions.optimizer(new SGD(0.1, 0.9, false))
                .loss("reg", "mse").loss("cls", "categorical_crossentropy")
                .lossWeight("reg", 1.0).lossWeight("cls", 0.5)
                .outputMetrics("cls", "accuracy").outputMetrics("reg", "mae"));
        for (int step = 1; step <= 2; step++) {
            var logs = model.trainOnBatch(x, y);
            KerasTrainRefs.assertLogs(refs.logs(step), logs, 1e-5, "step " + step);
            refs.assertWeightsAfter(model, step, 1e-5);
        }
    }

    /** Predicts Keras's outputs before training, then checks logs and weights after each of two steps. */
    private static void trainTwoSteps(String name, Model model, Optimizer optimizer) throws Exception {
        KerasTrainRefs refs = new KerasTrainRefs(name);
        refs.loadInitialWeights(model);
        List<Tensor> x = refs.arrays("x");
        List<Tensor> y = refs.arrays("y");
        List<Tensor> p0 = refs.arrays("p0_");
        List<Tensor> pred = model.predict(x);
        for (int k = 0; k < p0.size(); k++) {
            assertTrue(pred.get(k).maxAbsDiff(p0.get(k)) < 1e-5, name + ": prediction " + k);
        }
        model.compile(CompileOptions.optimizer(optimizer).loss("mse"));
        for (int step = 1; step <= 2; step++) {
            var logs = model.trainOnBatch(x, y);
            KerasTrainRefs.assertLogs(refs.logs(step), logs, 1e-5, name + " step " + step);
            refs.assertWeightsAfter(model, step, 1e-5);
        }
    }

    @Test
    void twoInputsJoinedByConcatenateMatchKeras() throws Exception {
        SymbolicTensor series = Input.of(6, 3).name("series");
        SymbolicTensor context = Input.of(4).name("context");
        SymbolicTensor h = new LSTM(5).name("lstm").call(series);
        SymbolicTensor c = new Dense(4).activation("relu").name("context_dense").call(context);
        SymbolicTensor j = new Concatenate().name("concat").call(h, c);
        Model model = new Model(List.of(series, context), List.of(new Dense(2).name("out").call(j)));
        trainTwoSteps("two_input", model, new Adam(0.01));
    }

    @Test
    void aSharedLayerSumsItsGradientsAsKerasDoes() throws Exception {
        SymbolicTensor a = Input.of(5);
        SymbolicTensor b = Input.of(5);
        Layer shared = new Dense(4).activation("tanh").name("shared");
        SymbolicTensor sum = new Add().name("add").call(shared.call(a), shared.call(b));
        Model model = new Model(List.of(a, b), List.of(new Dense(1).name("out").call(sum)));
        assertEquals(4, model.weights().size(), "the shared layer's weights appear once");
        trainTwoSteps("shared_dense_add", model, new Adam());
    }

    @Test
    void encoderStatesStartTheDecoderAndTrainThroughItAsInKeras() throws Exception {
        SymbolicTensor enc = Input.of(5, 3);
        SymbolicTensor dec = Input.of(4, 2);
        List<SymbolicTensor> encoded = new LSTM(4).returnState(true).name("encoder").call(List.of(enc));
        SymbolicTensor seq = new LSTM(4).returnSequences(true).name("decoder")
                .call(List.of(dec, encoded.get(1), encoded.get(2))).get(0);
        Model model = new Model(List.of(enc, dec), List.of(new Dense(2).name("out").call(seq)));
        trainTwoSteps("seq2seq_states", model, new RMSprop(0.01));
    }

    @Test
    void convLstmEncoderStatesStartTheConvLstmDecoderAndTrainThroughItAsInKeras() throws Exception {
        SymbolicTensor enc = Input.of(3, 4, 4, 2);
        SymbolicTensor dec = Input.of(2, 3, 3, 1);
        List<SymbolicTensor> encoded = ConvLSTM.conv2d(2, 2, 2).returnState(true).name("encoder").call(List.of(enc));
        SymbolicTensor seq = ConvLSTM.conv2d(2, 3, 3).padding("same").returnSequences(true).name("decoder")
                .call(List.of(dec, encoded.get(1), encoded.get(2))).get(0);
        Model model = new Model(List.of(enc, dec), List.of(seq));
        trainTwoSteps("conv_lstm_seq2seq_states", model, new RMSprop(0.01));
    }
}
