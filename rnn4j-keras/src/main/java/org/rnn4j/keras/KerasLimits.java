package org.rnn4j.keras;

/**
 * Size limits checked before anything is allocated, so a hostile file (a zip bomb, a header
 * claiming terabytes) fails with {@link KerasFormatException} instead of exhausting memory.
 *
 * @param maxConfigBytes  largest config.json / metadata.json / model_config accepted
 * @param maxWeightsBytes largest model.weights.h5 (uncompressed) or legacy .h5 file accepted
 * @param maxZipEntries   most entries a .keras zip may list
 * @param maxParams       most parameters a loaded model may have
 */
public record KerasLimits(long maxConfigBytes, long maxWeightsBytes, int maxZipEntries, long maxParams) {
    /** 64 MiB of config, 1.5 GiB of weights, 10,000 zip entries, 400 million parameters. */
    public static KerasLimits defaults() {
        return new KerasLimits(64L << 20, 3L << 29, 10_000, 400_000_000L);
    }

    public KerasLimits {
        if (maxConfigBytes <= 0 || maxWeightsBytes <= 0 || maxZipEntries <= 0 || maxParams <= 0) {
            throw new IllegalArgumentException("Keras limits must be positive");
        }
        if (maxWeightsBytes > Integer.MAX_VALUE - 8 || maxConfigBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Keras limits above 2 GiB are not supported (Java arrays)");
        }
    }
}
