package org.rnn4j.layers.preprocessing;

/**
 * The two string hashes Keras's IndexLookup uses to spread OOV tokens over
 * {@code num_oov_indices > 1} buckets, as TensorFlow computes them:
 * {@code tf.strings.to_hash_bucket_fast} is FarmHash's {@code Fingerprint64} (farmhashna's
 * Hash64) of the UTF-8 bytes, and {@code tf.strings.to_hash_bucket_strong} (with a {@code salt})
 * is SipHash-2-4 keyed by the two salt words; either is reduced modulo the bucket count as an
 * unsigned 64-bit integer. Written from the algorithms' published descriptions; the test checks
 * it against TensorFlow's values.
 */
final class OovHashing {
    private static final long K0 = 0xc3a5c85c97cb3127L;
    private static final long K1 = 0xb492b66fbe98f273L;
    private static final long K2 = 0x9ae16a3b2f90404fL;
    private static final long K_MUL = 0x9ddfea08eb382d69L;

    private OovHashing() {
    }

    /** Keras's bucket of an OOV token's text: FarmHash64 without a salt, SipHash keyed by it with one. */
    static int bucket(String text, int buckets, long[] salt) {
        byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return salt == null ? bucketFast(b, buckets) : bucketStrong(b, buckets, salt[0], salt[1]);
    }

    /** Keras's {@code salt} config value: null, one integer k (= [k, k]) or a list of two integers. */
    static long[] salt(String layer, Object salt) {
        if (salt == null) {
            return null;
        }
        if (salt instanceof Number n) {
            return new long[] {n.longValue(), n.longValue()};
        }
        if (salt instanceof java.util.List<?> k && k.size() == 2 && k.get(0) instanceof Number a
                && k.get(1) instanceof Number b) {
            return new long[] {a.longValue(), b.longValue()};
        }
        throw new IllegalArgumentException("The `salt` argument for `" + layer + "` can only be a tuple of 2"
                + " integers, or a single integer. Received: salt=" + salt);
    }

    /** {@code tf.strings.to_hash_bucket_fast(s, buckets)}. */
    static int bucketFast(byte[] s, int buckets) {
        return (int) Long.remainderUnsigned(fingerprint64(s), buckets);
    }

    /** {@code tf.strings.to_hash_bucket_strong(s, buckets, key=[k0, k1])}. */
    static int bucketStrong(byte[] s, int buckets, long k0, long k1) {
        return (int) Long.remainderUnsigned(sipHash24(k0, k1, s), buckets);
    }

    // ---------------------------------------------------------------- FarmHash Fingerprint64

    private static long fetch64(byte[] s, int i) {
        long v = 0;
        for (int k = 7; k >= 0; k--) {
            v = (v << 8) | (s[i + k] & 0xffL);
        }
        return v;
    }

    private static long fetch32(byte[] s, int i) {
        return (s[i] & 0xffL) | (s[i + 1] & 0xffL) << 8 | (s[i + 2] & 0xffL) << 16 | (s[i + 3] & 0xffL) << 24;
    }

    private static long shiftMix(long v) {
        return v ^ (v >>> 47);
    }

    private static long hashLen16(long u, long v, long mul) {
        long a = (u ^ v) * mul;
        a ^= a >>> 47;
        long b = (v ^ a) * mul;
        b ^= b >>> 47;
        return b * mul;
    }

    private static long hashLen0to16(byte[] s) {
        int len = s.length;
        if (len >= 8) {
            long mul = K2 + len * 2L;
            long a = fetch64(s, 0) + K2;
            long b = fetch64(s, len - 8);
            long c = Long.rotateRight(b, 37) * mul + a;
            long d = (Long.rotateRight(a, 25) + b) * mul;
            return hashLen16(c, d, mul);
        }
        if (len >= 4) {
            long mul = K2 + len * 2L;
            long a = fetch32(s, 0);
            return hashLen16(len + (a << 3), fetch32(s, len - 4), mul);
        }
        if (len > 0) {
            int a = s[0] & 0xff;
            int b = s[len >> 1] & 0xff;
            int c = s[len - 1] & 0xff;
            long y = (a + (b << 8)) & 0xffffffffL;
            long z = (len + (c << 2)) & 0xffffffffL;
            return shiftMix(y * K2 ^ z * K0) * K2;
        }
        return K2;
    }

    private static long hashLen17to32(byte[] s) {
        int len = s.length;
        long mul = K2 + len * 2L;
        long a = fetch64(s, 0) * K1;
        long b = fetch64(s, 8);
        long c = fetch64(s, len - 8) * mul;
        long d = fetch64(s, len - 16) * K2;
        return hashLen16(Long.rotateRight(a + b, 43) + Long.rotateRight(c, 30) + d,
                a + Long.rotateRight(b + K2, 18) + c, mul);
    }

    private static long hashLen33to64(byte[] s) {
        int len = s.length;
        long mul = K2 + len * 2L;
        long a = fetch64(s, 0) * K2;
        long b = fetch64(s, 8);
        long c = fetch64(s, len - 8) * mul;
        long d = fetch64(s, len - 16) * K2;
        long y = Long.rotateRight(a + b, 43) + Long.rotateRight(c, 30) + d;
        long z = hashLen16(y, a + Long.rotateRight(b + K2, 18) + c, mul);
        long e = fetch64(s, 16) * mul;
        long f = fetch64(s, 24);
        long g = (y + fetch64(s, len - 32)) * mul;
        long h = (z + fetch64(s, len - 24)) * mul;
        return hashLen16(Long.rotateRight(e + f, 43) + Long.rotateRight(g, 30) + h,
                e + Long.rotateRight(f + a, 18) + g, mul);
    }

    /** farmhashna's WeakHashLen32WithSeeds on the 32 bytes at {@code i}: writes {first, second} into {@code out}. */
    private static void weakHashLen32WithSeeds(byte[] s, int i, long a, long b, long[] out) {
        long w = fetch64(s, i);
        long x = fetch64(s, i + 8);
        long y = fetch64(s, i + 16);
        long z = fetch64(s, i + 24);
        a += w;
        b = Long.rotateRight(b + a + z, 21);
        long c = a;
        a += x;
        a += y;
        b += Long.rotateRight(a, 44);
        out[0] = a + z;
        out[1] = b + c;
    }

    /** FarmHash's {@code Fingerprint64} (farmhashna::Hash64), TensorFlow's {@code Fingerprint64}. */
    static long fingerprint64(byte[] s) {
        int len = s.length;
        if (len <= 16) {
            return hashLen0to16(s);
        }
        if (len <= 32) {
            return hashLen17to32(s);
        }
        if (len <= 64) {
            return hashLen33to64(s);
        }
        long seed = 81;
        long x = seed;
        long y = seed * K1 + 113;
        long z = shiftMix(y * K2 + 113) * K2;
        long[] v = new long[2];
        long[] w = new long[2];
        x = x * K2 + fetch64(s, 0);
        int end = ((len - 1) / 64) * 64;
        int last64 = end + ((len - 1) & 63) - 63;
        int p = 0;
        do {
            x = Long.rotateRight(x + y + v[0] + fetch64(s, p + 8), 37) * K1;
            y = Long.rotateRight(y + v[1] + fetch64(s, p + 48), 42) * K1;
            x ^= w[1];
            y += v[0] + fetch64(s, p + 40);
            z = Long.rotateRight(z + w[0], 33) * K1;
            weakHashLen32WithSeeds(s, p, v[1] * K1, x + w[0], v);
            weakHashLen32WithSeeds(s, p + 32, z + w[1], y + fetch64(s, p + 16), w);
            long t = z;
            z = x;
            x = t;
            p += 64;
        } while (p != end);
        long mul = K1 + ((z & 0xff) << 1);
        p = last64;
        w[0] += (len - 1) & 63;
        v[0] += w[0];
        w[0] += v[0];
        x = Long.rotateRight(x + y + v[0] + fetch64(s, p + 8), 37) * mul;
        y = Long.rotateRight(y + v[1] + fetch64(s, p + 48), 42) * mul;
        x ^= w[1] * 9;
        y += v[0] * 9 + fetch64(s, p + 40);
        z = Long.rotateRight(z + w[0], 33) * mul;
        weakHashLen32WithSeeds(s, p, v[1] * mul, x + w[0], v);
        weakHashLen32WithSeeds(s, p + 32, z + w[1], y + fetch64(s, p + 16), w);
        long t = z;
        z = x;
        x = t;
        return hashLen16(hashLen16(v[0], w[0], mul) + shiftMix(y) * K0 + z, hashLen16(v[1], w[1], mul) + x, mul);
    }

    // ---------------------------------------------------------------- SipHash-2-4

    /** SipHash-2-4 of {@code s} with the 128-bit key {@code (k0, k1)}. */
    static long sipHash24(long k0, long k1, byte[] s) {
        long[] v = {k0 ^ 0x736f6d6570736575L, k1 ^ 0x646f72616e646f6dL, k0 ^ 0x6c7967656e657261L,
            k1 ^ 0x7465646279746573L};
        int len = s.length;
        int blocks = len / 8 * 8;
        for (int i = 0; i < blocks; i += 8) {
            long m = fetch64(s, i);
            v[3] ^= m;
            sipRound(v);
            sipRound(v);
            v[0] ^= m;
        }
        long b = ((long) len) << 56;
        for (int i = len - 1; i >= blocks; i--) {
            b |= (s[i] & 0xffL) << (8 * (i - blocks));
        }
        v[3] ^= b;
        sipRound(v);
        sipRound(v);
        v[0] ^= b;
        v[2] ^= 0xff;
        for (int i = 0; i < 4; i++) {
            sipRound(v);
        }
        return v[0] ^ v[1] ^ v[2] ^ v[3];
    }

    private static void sipRound(long[] v) {
        v[0] += v[1];
        v[1] = Long.rotateLeft(v[1], 13);
        v[1] ^= v[0];
        v[0] = Long.rotateLeft(v[0], 32);
        v[2] += v[3];
        v[3] = Long.rotateLeft(v[3], 16);
        v[3] ^= v[2];
        v[0] += v[3];
        v[3] = Long.rotateLeft(v[3], 21);
        v[3] ^= v[0];
        v[2] += v[1];
        v[1] = Long.rotateLeft(v[1], 17);
        v[1] ^= v[2];
        v[2] = Long.rotateLeft(v[2], 32);
    }
}
