package org.rnn4j.layers;

import java.util.List;
import java.util.Locale;

/** Shared option parsing of the transposed-convolution and reshaping layers. */
final class DataFormats {
    private DataFormats() {
    }

    /** True for channels_first; channels_last (or null, Keras's default) is false. */
    static boolean channelsFirst(String layer, String format) {
        if (format == null) {
            return false;
        }
        String f = format.toLowerCase(Locale.ROOT);
        if (f.equals("channels_last")) {
            return false;
        }
        if (f.equals("channels_first")) {
            return true;
        }
        throw new IllegalArgumentException(layer + ": data_format must be 'channels_last' or 'channels_first', got '"
                + format + "'");
    }

    /** A non-negative int, or a list of {@code n} of them (a bare int is repeated). */
    static int[] nonNegative(ConfigReader c, String key, Object v, int n) {
        int[] out = new int[n];
        if (v instanceof List<?> l) {
            if (l.size() != n) {
                throw c.error("option " + key + " must have " + n + " entries, got " + v);
            }
            for (int i = 0; i < n; i++) {
                out[i] = one(c, key, l.get(i));
            }
        } else {
            java.util.Arrays.fill(out, one(c, key, v));
        }
        return out;
    }

    private static int one(ConfigReader c, String key, Object v) {
        if (v instanceof Number num && num.doubleValue() == Math.rint(num.doubleValue()) && num.doubleValue() >= 0
                && num.doubleValue() <= Integer.MAX_VALUE) {
            return num.intValue();
        }
        throw c.error("option " + key + " must hold non-negative integers, got " + v);
    }
}
