package org.rnn4j.cli.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.rnn4j.cli.CliException;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Model inputs and outputs as CSV for {@code predict}. Input: either one sample per row (the
 * sample flattened, row-major), or, for a model taking {@code [time, features]}, a table of
 * {@code time} rows by {@code features} columns that is one sample (e.g. the last rows of the
 * series a forecaster was trained on). A first row that is not numeric is a header and skipped.
 * Output: one sample per row, flattened.
 */
public final class ArrayCsv {
    private ArrayCsv() {
    }

    /** Reads samples for a model whose per-sample input shape is {@code sampleShape} (-1 = any). */
    public static Tensor read(Path file, int[] sampleShape) {
        List<double[]> rows = readRows(file);
        int cols = rows.get(0).length;
        long sampleSize = knownSize(sampleShape);
        if (sampleSize > 0 && cols == sampleSize) {
            int[] shape = new int[sampleShape.length + 1];
            shape[0] = rows.size();
            System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
            return Tensor.of(flatten(rows, cols), shape);
        }
        if (sampleShape.length == 2 && sampleShape[1] == cols && (sampleShape[0] == -1 || sampleShape[0] == rows.size())) {
            return Tensor.of(flatten(rows, cols), 1, rows.size(), cols);
        }
        if (sampleShape.length == 1 && sampleShape[0] == -1) {
            return Tensor.of(flatten(rows, cols), rows.size(), cols);
        }
        throw new CliException(file + ": " + rows.size() + " rows of " + cols + " values do not fit the model input "
                + Shapes.withBatch(sampleShape) + "; give one sample per row (" + (sampleSize > 0 ? sampleSize : "?")
                + " values, flattened)" + (sampleShape.length == 2 ? " or one " + sampleShape[0] + " x " + sampleShape[1] + " table" : ""));
    }

    private static long knownSize(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                return -1;
            }
            n *= d;
        }
        return n;
    }

    private static float[] flatten(List<double[]> rows, int cols) {
        float[] d = new float[rows.size() * cols];
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < cols; c++) {
                d[r * cols + c] = (float) rows.get(r)[c];
            }
        }
        return d;
    }

    static List<double[]> readRows(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CliException("Input file not found: " + file);
        } catch (IOException e) {
            throw new CliException("Cannot read " + file + ": " + e.getMessage());
        }
        if (text.isBlank()) {
            throw new CliException(file + " is empty");
        }
        List<double[]> rows = new ArrayList<>();
        CSVFormat format = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).setTrim(true).get();
        try (CSVParser parser = CSVParser.parse(text, format)) {
            int line = 0;
            for (CSVRecord rec : parser) {
                line++;
                String[] cells = rec.values();
                if (line == 1 && !isNumeric(cells[0])) {
                    continue; // header
                }
                double[] v = new double[cells.length];
                for (int c = 0; c < cells.length; c++) {
                    if (CsvTable.isMissing(cells[c]) || !isNumeric(cells[c])) {
                        throw new CliException(file + ": '" + cells[c] + "' at line " + line + ", column " + (c + 1) + " is not a number");
                    }
                    v[c] = Double.parseDouble(cells[c]);
                }
                if (!rows.isEmpty() && v.length != rows.get(0).length) {
                    throw new CliException(file + ": line " + line + " has " + v.length + " values, earlier rows have " + rows.get(0).length);
                }
                rows.add(v);
            }
        } catch (IOException e) {
            throw new CliException(file + ": not a readable CSV file: " + e.getMessage());
        }
        if (rows.isEmpty()) {
            throw new CliException(file + " has no data rows");
        }
        return rows;
    }

    private static boolean isNumeric(String s) {
        try {
            Double.parseDouble(s.trim());
            return !s.trim().toLowerCase(Locale.ROOT).equals("nan");
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** CSV with LF line endings (Commons CSV's default is RFC 4180's CRLF). */
    static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get();

    /**
     * Writes one sample per row, flattened, with float32 values printed exactly (shortest round-trip
     * form), LF line endings; atomically, into a folder that must exist.
     */
    public static void write(Path file, Tensor t) {
        int n = t.dim(0);
        int per = n == 0 ? 0 : t.size() / n;
        try {
            org.rnn4j.io.AtomicFiles.write(file, tmp -> {
                try (CSVPrinter p = new CSVPrinter(Files.newBufferedWriter(tmp, StandardCharsets.UTF_8), FORMAT)) {
                    float[] d = t.data();
                    for (int r = 0; r < n; r++) {
                        List<String> cells = new ArrayList<>(per);
                        for (int c = 0; c < per; c++) {
                            cells.add(Float.toString(d[r * per + c]));
                        }
                        p.printRecord(cells);
                    }
                }
            });
        } catch (IOException e) {
            throw new CliException("Cannot write " + file + ": " + e.getMessage());
        }
    }
}
