package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

/** Whole-model backward: a few plain gradient steps on the mean squared error lower the loss. */
class ConvTrainingStepTest {
    private static double mse(Tensor y, Tensor target) {
        double s = 0;
        for (int i = 0; i < y.size(); i++) {
            double d = y.data()[i] - target.data()[i];
            s += d * d;
        }
        return s / y.size();
    }

    private static double train(Sequential model, Tensor x, Tensor target, int steps, float lr) {
        double first = Double.NaN;
        double last = Double.NaN;
        for (int step = 0; step < steps; step++) {
            Tensor y = model.call(x, true);
            last = mse(y, target);
            if (step == 0) {
                first = last;
            }
            Tensor dy = Tensor.zeros(y.shape());
            for (int i = 0; i < y.size(); i++) {
                dy.data()[i] = 2f * (y.data()[i] - target.data()[i]) / y.size();
            }
            for (Variable v : model.weights()) {
                v.zeroGrad();
            }
            model.backward(dy);
            for (Variable v : model.trainableWeights()) {
                float[] w = v.value().data();
                float[] g = v.grad().data();
                for (int i = 0; i < w.length; i++) {
                    w[i] -= lr * g[i];
                }
            }
        }
        return last / first;
    }

    @Test
    void seedStyleTimeDistributedConvModelLearns() {
        Sequential model = new Sequential().seed(3);
        model.add(new TimeDistributed(new Conv2D(4, 2).activation("tanh")).inputShape(3, 5, 4, 1));
        model.add(new TimeDistributed(new MaxPooling2D()));
        model.add(new TimeDistributed(new Flatten()));
        model.add(new Flatten());
        model.add(new Dense(2));
        Tensor x = GradientCheck.randn(1, 1f, 6, 3, 5, 4, 1);
        Tensor target = GradientCheck.randn(2, 1f, 6, 2);
        double ratio = train(model, x, target, 60, 0.05f);
        assertTrue(ratio < 0.5, "loss ratio after training " + ratio);
    }

    @Test
    void embeddingConvPoolingModelLearns() {
        Sequential model = new Sequential().seed(4);
        model.add(new Embedding(8, 4).inputShape(6));
        model.add(new Conv1D(5, 3).padding("same").activation("tanh"));
        model.add(new SpatialDropout1D(0.0));
        model.add(new MaxPooling1D());
        model.add(new GlobalAveragePooling1D());
        model.add(new RepeatVector(2));
        model.add(new Reshape(10));
        model.add(new Activation("tanh"));
        model.add(new Dense(1));
        float[] ids = new float[5 * 6];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (i * 5 + 3) % 8;
        }
        Tensor x = Tensor.of(ids, 5, 6);
        Tensor target = GradientCheck.randn(5, 1f, 5, 1);
        double ratio = train(model, x, target, 80, 0.2f);
        assertTrue(ratio < 0.5, "loss ratio after training " + ratio);
    }
}
