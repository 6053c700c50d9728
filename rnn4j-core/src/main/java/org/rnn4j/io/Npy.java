package org.rnn4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * NumPy {@code .npy} files (format versions 1-3): reads little-endian C-order float32, int32,
 * float64 and int64 arrays into a float32 {@link Tensor} and writes float32 or int32. The header's
 * shape is checked against the file length before anything is allocated.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** The dtype and shape of an .npy file. */
    public record Header(String descr, int[] shape, long dataOffset) {
        public boolean isInteger() {
            return descr.contains("i");
        }
    }

    public static Header header(Path path) throws IOException {
        try (SeekableByteChannel ch = Files.newByteChannel(path)) {
            return header(ch, path);
        }
    }

    private static Header header(SeekableByteChannel ch, Path path) throws IOException {
        ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        while (pre.hasRemaining() && ch.read(pre) >= 0) {
            // read what there is; a short file is reported below
        }
        pre.flip();
        for (byte b : MAGIC) {
            if (!pre.hasRemaining() || pre.get() != b) {
                throw bad(path, "not a NumPy .npy file (missing the \\x93NUMPY magic)");
            }
        }
        if (pre.remaining() < 6) {
            throw bad(path, "file ends inside the .npy preamble (truncated)");
        }
        int major = pre.get() & 0xff;
        pre.get();
        long headerLen;
        long start;
        if (major == 1) {
            headerLen = pre.getShort(8) & 0xffff;
            start = 10;
        } else if (major == 2 || major == 3) {
            headerLen = pre.getInt(8) & 0xffffffffL;
            start = 12;
        } else {
            throw bad(path, "unsupported .npy format version " + major);
        }
        if (headerLen > 1 << 20) {
            throw bad(path, "header of " + headerLen + " bytes is implausibly long");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
        ch.position(start);
        readFully(ch, hb, path, "the .npy header");
        String h = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(h);
        Matcher f = FORTRAN.matcher(h);
        Matcher s = SHAPE.matcher(h);
        if (!d.find() || !f.find() || !s.find()) {
            throw bad(path, "malformed header " + h.trim());
        }
        if (f.group(1).equals("True")) {
            throw bad(path, "Fortran-order arrays are not supported; save with numpy.ascontiguousarray");
        }
        List<Integer> dims = new ArrayList<>();
        for (String part : s.group(1).split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            try {
                long v = Long.parseLong(p);
                if (v < 0 || v > Integer.MAX_VALUE) {
                    throw bad(path, "shape entry " + p + " out of range");
                }
                dims.add((int) v);
            } catch (NumberFormatException e) {
                throw bad(path, "bad shape entry '" + p + "'");
            }
        }
        int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
        return new Header(d.group(1), shape, start + headerLen);
    }

    /** Reads a float32/int32 (or float64/int64) array as a float32 tensor. */
    public static Tensor read(Path path) throws IOException {
        try (SeekableByteChannel ch = Files.newByteChannel(path)) {
            Header h = header(ch, path);
            int item;
            switch (h.descr()) {
                case "<f4": case "<i4": item = 4; break;
                case "<f8": case "<i8": item = 8; break;
                default:
                    throw bad(path, "dtype '" + h.descr() + "' is not supported; use little-endian float32 ('<f4')"
                            + " or int32 ('<i4')");
            }
            long count = 1;
            for (int dim : h.shape()) {
                count *= dim;
                if (count > Integer.MAX_VALUE - 8) {
                    throw bad(path, "shape " + Shapes.toString(h.shape()) + " has too many elements");
                }
            }
            long need = h.dataOffset() + count * item;
            if (ch.size() != need) {
                throw bad(path, "shape " + Shapes.toString(h.shape()) + " of " + h.descr() + " needs " + need
                        + " bytes but the file has " + ch.size() + (ch.size() < need ? " (truncated?)" : ""));
            }
            float[] out = new float[(int) count];
            ch.position(h.dataOffset());
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            int i = 0;
            while (i < out.length) {
                buf.clear();
                buf.limit((int) Math.min(buf.capacity(), (long) (out.length - i) * item));
                readFully(ch, buf, path, "the array data");
                buf.flip();
                while (buf.remaining() >= item) {
                    out[i++] = value(buf, h.descr(), path, i);
                }
            }
            return Tensor.of(out, h.shape().length == 0 ? new int[0] : h.shape());
        }
    }

    /**
     * Reads a NumPy unicode array ({@code '<U<n>'}: n UTF-32LE code points per element, NUL-padded,
     * as {@code np.save(np.array([["a", "b"]]))} writes) as a {@link org.rnn4j.tensor.StringTensor}.
     */
    public static org.rnn4j.tensor.StringTensor readStrings(Path path) throws IOException {
        try (SeekableByteChannel ch = Files.newByteChannel(path)) {
            Header h = header(ch, path);
            if (!h.descr().matches("<U[0-9]+")) {
                throw bad(path, "dtype '" + h.descr() + "' is not a little-endian unicode string array ('<U...')");
            }
            int chars = Integer.parseInt(h.descr().substring(2));
            long count = 1;
            for (int dim : h.shape()) {
                count *= dim;
            }
            long need = h.dataOffset() + count * chars * 4L;
            if (count * chars > Integer.MAX_VALUE / 4 || ch.size() != need) {
                throw bad(path, "shape " + Shapes.toString(h.shape()) + " of " + h.descr() + " needs " + need
                        + " bytes but the file has " + ch.size());
            }
            ByteBuffer buf = ByteBuffer.allocate((int) (count * chars * 4)).order(ByteOrder.LITTLE_ENDIAN);
            ch.position(h.dataOffset());
            readFully(ch, buf, path, "the array data");
            buf.flip();
            String[] out = new String[(int) count];
            for (int i = 0; i < out.length; i++) {
                StringBuilder sb = new StringBuilder();
                for (int c = 0; c < chars; c++) {
                    int cp = buf.getInt();
                    if (cp != 0) {
                        sb.appendCodePoint(cp);
                    }
                }
                out[i] = sb.toString();
            }
            return org.rnn4j.tensor.StringTensor.of(out, h.shape());
        }
    }

    private static float value(ByteBuffer buf, String descr, Path path, int index) throws IOException {
        switch (descr) {
            case "<f4":
                return buf.getFloat();
            case "<f8":
                return (float) buf.getDouble();
            case "<i4":
                return exact(buf.getInt(), path, index);
            default:
                return exact(buf.getLong(), path, index);
        }
    }

    private static float exact(long v, Path path, int index) throws IOException {
        if (Math.abs(v) > (1 << 24)) {
            throw bad(path, "integer " + v + " at index " + index + " cannot be held exactly in float32");
        }
        return v;
    }

    /** Writes a float32 array; atomically (temp file + move). */
    public static void write(Path path, Tensor t) throws IOException {
        write(path, t, false);
    }

    /** Writes the tensor's values as int32 (they must be whole numbers), e.g. token ids. */
    public static void writeInt32(Path path, Tensor t) throws IOException {
        write(path, t, true);
    }

    private static void write(Path path, Tensor t, boolean int32) throws IOException {
        StringBuilder shape = new StringBuilder("(");
        for (int d : t.shape()) {
            shape.append(d).append(", ");
        }
        if (t.rank() > 1) {
            shape.setLength(shape.length() - 2);
        } else if (t.rank() == 1) {
            shape.setLength(shape.length() - 1);
        }
        shape.append(')');
        String dict = "{'descr': '" + (int32 ? "<i4" : "<f4") + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        float[] data = t.data();
        ByteBuffer buf = ByteBuffer.allocate(10 + header.length() + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        buf.put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < data.length; i++) {
            if (int32) {
                float v = data[i];
                if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("writeInt32: value " + v + " at index " + i + " is not an int32");
                }
                buf.putInt((int) v);
            } else {
                buf.putFloat(data[i]);
            }
        }
        AtomicFiles.write(path, buf.array());
    }

    private static void readFully(SeekableByteChannel ch, ByteBuffer b, Path path, String what) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw bad(path, "file ends inside " + what + " (truncated)");
            }
        }
    }

    private static IOException bad(Path path, String message) {
        return new IOException(path.getFileName() + ": " + message);
    }
}
