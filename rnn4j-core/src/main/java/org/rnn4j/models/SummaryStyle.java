package org.rnn4j.models;

/** Which Keras summary table {@link Sequential#summary(SummaryStyle)} prints. */
public enum SummaryStyle {
    /** The classic 65-column table of tf.keras 2.x, as in the tutorial (the default). */
    CLASSIC,
    /** Keras 3's box-drawn table (88 columns, as Keras 3 prints when not on a narrower terminal). */
    KERAS3
}
