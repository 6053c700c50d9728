package org.rnn4j.callbacks;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Keras's CSVLogger: one row per epoch, columns {@code epoch} (0-based) then the log keys sorted;
 * values as Python prints floats ({@code repr}); {@code NA} for a missing key.
 */
public final class CSVLogger extends Callback {
    private final Path file;
    private final String separator;
    private final boolean append;
    private BufferedWriter out;
    private List<String> keys;
    private boolean writeHeader;

    public CSVLogger(String filename) {
        this(filename, ",", false);
    }

    public CSVLogger(String filename, String separator, boolean append) {
        this.file = Path.of(filename);
        this.separator = separator;
        this.append = append;
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        try {
            writeHeader = !(append && Files.exists(file) && Files.size(file) > 0);
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            keys = null;
        } catch (IOException e) {
            throw new UncheckedIOException("CSVLogger: cannot open " + file, e);
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        try {
            if (keys == null) {
                keys = new ArrayList<>(new TreeSet<>(logs.keySet()));
                boolean hasVal = keys.stream().anyMatch(k -> k.startsWith("val_"));
                if (!hasVal && !keys.isEmpty()) {
                    List<String> val = new ArrayList<>();
                    for (String k : keys) {
                        val.add("val_" + k);
                    }
                    keys.addAll(val);
                }
                if (writeHeader) {
                    out.write("epoch" + (keys.isEmpty() ? "" : separator + String.join(separator, keys)));
                    out.write("\r\n");
                }
            }
            StringBuilder row = new StringBuilder().append(epoch);
            for (String k : keys) {
                Double v = logs.get(k);
                row.append(separator).append(v == null ? "NA" : pythonRepr(v));
            }
            out.write(row.append("\r\n").toString());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("CSVLogger: cannot write " + file, e);
        }
    }

    /** Python's shortest float repr (Java's is the same digits, but spelled differently for exponents). */
    static String pythonRepr(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-4 || a >= 1e16)) {
            String s = Double.toString(v);
            int e = s.indexOf('E');
            String mant = s.substring(0, e);
            if (mant.endsWith(".0")) {
                mant = mant.substring(0, mant.length() - 2);
            }
            int exp = Integer.parseInt(s.substring(e + 1));
            return mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        return new java.math.BigDecimal(Double.toString(v)).toPlainString().replaceAll("^(-?\\d+)$", "$1.0");
    }

    @Override
    public void onTrainEnd(Map<String, Double> logs) {
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("CSVLogger: cannot close " + file, e);
        }
        out = null;
    }
}
