package org.rnn4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

/** Comparing a config value Keras wrote (parsed JSON) with the one a layer's {@code config()} gives. */
public final class KerasJson {
    private KerasJson() {
    }

    /** Keras's JSON against ours: the same keys and strings, numbers equal to float precision. */
    @SuppressWarnings("unchecked")
    public static void assertSame(Object want, Object got, String what) {
        if (want instanceof Map) {
            assertTrue(got instanceof Map, what + ": want " + want + ", got " + got);
            Map<String, Object> w = (Map<String, Object>) want;
            Map<String, Object> g = (Map<String, Object>) got;
            assertEquals(w.keySet(), g.keySet(), what);
            for (String k : w.keySet()) {
                assertSame(w.get(k), g.get(k), what + "." + k);
            }
        } else if (want instanceof List) {
            assertTrue(got instanceof List && ((List<?>) got).size() == ((List<?>) want).size(), what + ": " + got);
            for (int i = 0; i < ((List<?>) want).size(); i++) {
                assertSame(((List<?>) want).get(i), ((List<?>) got).get(i), what + "[" + i + "]");
            }
        } else if (want instanceof Number) {
            assertTrue(got instanceof Number, what + ": want " + want + ", got " + got);
            assertEquals(((Number) want).doubleValue(), ((Number) got).doubleValue(), 1e-7, what);
        } else {
            assertEquals(want, got, what);
        }
    }
}
