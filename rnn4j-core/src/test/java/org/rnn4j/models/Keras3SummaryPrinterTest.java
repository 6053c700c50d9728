package org.rnn4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.rnn4j.layers.Bidirectional;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.tensor.Tensor;

/**
 * Keras 3's summary table for wrapped and ellipsised names and a built optimizer; the expected
 * text was printed by Keras 3.15 for the same model (the public fixtures cover the plain rows,
 * in rnn4j-keras's Keras3SummaryTest).
 */
class Keras3SummaryPrinterTest {
    @Test
    void wrapsLongNamesAndCountsOptimizerParamsAsKeras3() {
        var model = new Sequential("my_model");
        model.add(new Bidirectional(new LSTM(10).returnSequences(true))
                .name("a_very_long_layer_name_for_wrapping_tests_and_more_words").inputShape(6, 4));
        model.add(new TimeDistributed(new Dense(30)).name("time distributed with spaces in the name ok"));
        model.add(new Dense(3).name("d"));
        model.compile("adam", "mse");
        model.fit(Tensor.zeros(4, 6, 4), Tensor.zeros(4, 6, 3), FitOptions.epochs(1).verbose(0));
        String expected =
                "Model: \"my_model\"\n" +
                "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┓\n" +
                "┃ Layer (type)                         ┃ Output Shape                ┃         Param # ┃\n" +
                "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━┩\n" +
                "│ a_very_long_layer_name_for_wrapping… │ (None, 6, 20)               │           1,200 │\n" +
                "│ (Bidirectional)                      │                             │                 │\n" +
                "├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤\n" +
                "│ time distributed with spaces in the  │ (None, 6, 30)               │             630 │\n" +
                "│ name ok (TimeDistributed)            │                             │                 │\n" +
                "├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤\n" +
                "│ d (Dense)                            │ (None, 6, 3)                │              93 │\n" +
                "└──────────────────────────────────────┴─────────────────────────────┴─────────────────┘\n" +
                " Total params: 5,771 (22.54 KB)\n" +
                " Trainable params: 1,923 (7.51 KB)\n" +
                " Non-trainable params: 0 (0.00 B)\n" +
                " Optimizer params: 3,848 (15.03 KB)\n";
        assertEquals(expected, model.summaryString(SummaryStyle.KERAS3));
    }

    @Test
    void readableSizesFollowKeras() {
        assertEquals("912.00 B", Keras3SummaryPrinter.bytes(912));
        assertEquals("1008.00 B", Keras3SummaryPrinter.bytes(1008));
        assertEquals("1.07 KB", Keras3SummaryPrinter.bytes(274 * 4));
        assertEquals("240.33 MB", Keras3SummaryPrinter.bytes(63_001_200L * 4));
    }
}
