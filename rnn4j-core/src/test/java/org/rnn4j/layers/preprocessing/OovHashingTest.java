package org.rnn4j.layers.preprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * rnn4j's FarmHash Fingerprint64 and SipHash-2-4 against TensorFlow's own values
 * (oov_hash_refs.txt, made by tools/keras-refs/oov_hash_refs.py): the fingerprint, and the
 * buckets of {@code to_hash_bucket_fast} and {@code to_hash_bucket_strong(key=[137, 42])} for 7
 * and 1000003 buckets, on strings covering every length branch.
 */
class OovHashingTest {
    @Test
    void matchesTensorFlowOnEveryReferenceString() throws Exception {
        int lines = 0;
        int maxLen = 0;
        try (var in = OovHashingTest.class.getResourceAsStream("oov_hash_refs.txt")) {
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(" ");
                byte[] s = f[0].equals("-") ? new byte[0] : HexFormat.of().parseHex(f[0]);
                String what = "'" + new String(s, StandardCharsets.UTF_8) + "' (" + s.length + " bytes)";
                assertEquals(f[1], Long.toUnsignedString(OovHashing.fingerprint64(s)), what + ": Fingerprint64");
                assertEquals(Integer.parseInt(f[2]), OovHashing.bucketFast(s, 7), what + ": fast bucket of 7");
                assertEquals(Integer.parseInt(f[3]), OovHashing.bucketFast(s, 1000003), what + ": fast bucket of 1000003");
                assertEquals(Integer.parseInt(f[4]), OovHashing.bucketStrong(s, 7, 137, 42), what + ": strong bucket of 7");
                assertEquals(Integer.parseInt(f[5]), OovHashing.bucketStrong(s, 1000003, 137, 42),
                        what + ": strong bucket of 1000003");
                lines++;
                maxLen = Math.max(maxLen, s.length);
            }
        }
        assertEquals(75, lines, "reference strings");
        assertTrue(maxLen > 128, "a string of several 64-byte blocks");
    }
}
