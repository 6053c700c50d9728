package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.tensor.Tensor;

class NpyTest {
    @TempDir
    Path tmp;

    /** A version-1 .npy file as NumPy writes it. */
    static byte[] npy(String descr, String shape, byte[] data) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        return b.array();
    }

    static byte[] ints(int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int i : v) {
            b.putInt(i);
        }
        return b.array();
    }

    @Test
    void writeThenReadFloat32() throws IOException {
        Tensor t = Tensor.of(new float[] {1.5f, -2f, 3.25f, 0f, 1e-8f, 7f}, 2, 3);
        Path p = tmp.resolve("a.npy");
        Npy.write(p, t);
        Npy.Header h = Npy.header(p);
        assertEquals("<f4", h.descr());
        assertArrayEquals(new int[] {2, 3}, h.shape());
        assertEquals(0, (h.dataOffset()) % 64, "header padded to 64 bytes as NumPy does");
        Tensor back = Npy.read(p);
        assertArrayEquals(t.shape(), back.shape());
        assertArrayEquals(t.data(), back.data());
    }

    @Test
    void readsInt32AsFloat() throws IOException {
        Path p = tmp.resolve("i.npy");
        Files.write(p, npy("<i4", "(2, 2)", ints(0, 5, 17, 3)));
        Tensor t = Npy.read(p);
        assertArrayEquals(new float[] {0, 5, 17, 3}, t.data());
        assertTrue(Npy.header(p).isInteger());
    }

    @Test
    void writeInt32RoundTrips() throws IOException {
        Path p = tmp.resolve("w.npy");
        Npy.writeInt32(p, Tensor.of(new float[] {1, 2, 3}, 3));
        assertEquals("<i4", Npy.header(p).descr());
        assertArrayEquals(new float[] {1, 2, 3}, Npy.read(p).data());
        assertThrows(IllegalArgumentException.class, () -> Npy.writeInt32(tmp.resolve("x.npy"), Tensor.of(new float[] {1.5f}, 1)));
    }

    @Test
    void readsTheSharedFixtures() throws IOException {
        Path dir = org.rnn4j.testing.SharedFiles.find("fixtures/keras");
        assertArrayEquals(new int[] {3, 4, 6}, Npy.read(dir.resolve("lstm_last.x.npy")).shape());
        assertEquals("<i4", Npy.header(dir.resolve("embedding_lstm.x.npy")).descr());
    }

    @Test
    void clearErrors() throws IOException {
        Path trunc = tmp.resolve("t.npy");
        byte[] full = npy("<f4", "(4,)", new byte[16]);
        Files.write(trunc, Arrays.copyOf(full, full.length - 3));
        assertTrue(assertThrows(IOException.class, () -> Npy.read(trunc)).getMessage().contains("truncated"));

        Path huge = tmp.resolve("h.npy");
        Files.write(huge, npy("<f4", "(100000, 100000)", new byte[4]));
        assertTrue(assertThrows(IOException.class, () -> Npy.read(huge)).getMessage().contains("too many elements"));

        Path dtype = tmp.resolve("d.npy");
        Files.write(dtype, npy(">f4", "(1,)", new byte[4]));
        assertTrue(assertThrows(IOException.class, () -> Npy.read(dtype)).getMessage().contains("'>f4' is not supported"));

        Path fortran = tmp.resolve("f.npy");
        Files.write(fortran, new String(npy("<f4", "(1,)", new byte[4]), StandardCharsets.ISO_8859_1)
                .replace("False", "True ").getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(assertThrows(IOException.class, () -> Npy.read(fortran)).getMessage().contains("Fortran"));

        Path notNpy = tmp.resolve("n.npy");
        Files.writeString(notNpy, "x,y\n1,2\n");
        assertTrue(assertThrows(IOException.class, () -> Npy.read(notNpy)).getMessage().contains("not a NumPy"));
    }
}
