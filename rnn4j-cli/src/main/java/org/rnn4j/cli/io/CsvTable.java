package org.rnn4j.cli.io;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.rnn4j.cli.CliException;

/**
 * A CSV file with a header row, read with Apache Commons CSV (quoted fields, CRLF or LF, no final
 * newline). Cells stay strings until a column is asked for as numbers, so that a missing or
 * malformed value is reported with its row and column.
 */
public final class CsvTable {
    private static final Set<String> MISSING = Set.of("", "na", "nan", "n/a", "null", "none", "?", "#n/a");

    private final String source;
    private final List<String> header;
    private final List<String[]> rows;

    private CsvTable(String source, List<String> header, List<String[]> rows) {
        this.source = source;
        this.header = header;
        this.rows = rows;
    }

    public static CsvTable read(Path file) {
        try {
            if (Files.isDirectory(file)) {
                throw new CliException(file + " is a directory, not a CSV file");
            }
            return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new CliException("CSV file not found: " + file);
        } catch (IOException e) {
            throw new CliException("Cannot read " + file + ": " + e.getMessage());
        }
    }

    public static CsvTable parse(String source, String text) {
        if (text.isBlank()) {
            throw new CliException(source + " is empty: expected a header row and data rows");
        }
        if (text.charAt(0) == '\uFEFF') {
            text = text.substring(1); // a UTF-8 byte-order mark is not part of the first column name
        }
        CSVFormat format = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).setTrim(true).get();
        List<String> header = null;
        List<String[]> rows = new ArrayList<>();
        try (Reader r = new StringReader(text); CSVParser parser = CSVParser.parse(r, format)) {
            for (CSVRecord rec : parser) {
                String[] cells = rec.values();
                if (header == null) {
                    header = List.of(cells);
                    continue;
                }
                if (cells.length != header.size()) {
                    if (cells.length == 1 && cells[0].isEmpty()) {
                        continue;
                    }
                    throw new CliException(source + ": row " + (rows.size() + 1) + " (line " + rec.getRecordNumber()
                            + ") has " + cells.length + " fields but the header has " + header.size());
                }
                rows.add(cells);
            }
        } catch (IOException | IllegalStateException | java.io.UncheckedIOException e) {
            throw new CliException(source + ": not a readable CSV file: " + e.getMessage());
        }
        if (rows.isEmpty()) {
            throw new CliException(source + " has a header but no data rows");
        }
        return new CsvTable(source, header, rows);
    }

    public String source() {
        return source;
    }

    public List<String> header() {
        return header;
    }

    public int numRows() {
        return rows.size();
    }

    /** The column's index; a missing column is a user error naming the available ones. */
    public int columnIndex(String name) {
        int i = header.indexOf(name);
        if (i < 0) {
            for (int j = 0; j < header.size(); j++) {
                if (header.get(j).equalsIgnoreCase(name)) {
                    return j;
                }
            }
            throw new CliException("Column '" + name + "' not found in " + source + "; columns are: " + String.join(", ", header));
        }
        return i;
    }

    public String cell(int row, int column) {
        return rows.get(row)[column];
    }

    public static boolean isMissing(String cell) {
        return MISSING.contains(cell.trim().toLowerCase(Locale.ROOT));
    }

    /**
     * The named columns as numbers, {@code [row][column]}, with missing cells handled by
     * {@code policy}. Rows are data rows, 1-based in messages; line numbers count the header.
     */
    public NumericColumns numeric(List<String> columns, MissingPolicy policy) {
        int[] idx = new int[columns.size()];
        for (int c = 0; c < idx.length; c++) {
            idx[c] = columnIndex(columns.get(c));
        }
        List<double[]> out = new ArrayList<>(rows.size());
        List<Integer> kept = new ArrayList<>(rows.size());
        double[] previous = null;
        int filled = 0;
        int dropped = 0;
        for (int r = 0; r < rows.size(); r++) {
            double[] values = new double[idx.length];
            boolean drop = false;
            for (int c = 0; c < idx.length; c++) {
                String cell = rows.get(r)[idx[c]];
                if (isMissing(cell)) {
                    switch (policy.kind()) {
                        case ERROR:
                            throw new CliException(source + ": missing value '" + cell + "' at row " + (r + 1) + " (line "
                                    + (r + 2) + "), column '" + header.get(idx[c]) + "'; use --missing ffill, drop or a number");
                        case FFILL:
                            if (previous == null) {
                                throw new CliException(source + ": missing value at row " + (r + 1) + ", column '"
                                        + header.get(idx[c]) + "' has no earlier value to forward-fill; use --missing drop or a number");
                            }
                            values[c] = previous[c];
                            filled++;
                            break;
                        case VALUE:
                            values[c] = policy.value();
                            filled++;
                            break;
                        default:
                            drop = true;
                    }
                } else {
                    values[c] = parseNumber(cell, r, idx[c]);
                }
            }
            if (drop) {
                dropped++;
                continue;
            }
            out.add(values);
            kept.add(r);
            previous = values;
        }
        if (out.isEmpty()) {
            throw new CliException(source + ": no rows left after dropping rows with missing values");
        }
        return new NumericColumns(List.copyOf(columns), out.toArray(new double[0][]),
                kept.stream().mapToInt(Integer::intValue).toArray(), filled, dropped);
    }

    private double parseNumber(String cell, int row, int column) {
        try {
            return Double.parseDouble(cell.trim());
        } catch (NumberFormatException e) {
            throw new CliException(source + ": '" + cell + "' at row " + (row + 1) + " (line " + (row + 2) + "), column '"
                    + header.get(column) + "' is not a number");
        }
    }

    /** Numeric columns read from a table, with the data-row index of each kept row. */
    public record NumericColumns(List<String> names, double[][] values, int[] rowIndex, int filled, int dropped) {
        public int numRows() {
            return values.length;
        }

        public double[] column(int c) {
            double[] out = new double[values.length];
            for (int r = 0; r < values.length; r++) {
                out[r] = values[r][c];
            }
            return out;
        }
    }
}
