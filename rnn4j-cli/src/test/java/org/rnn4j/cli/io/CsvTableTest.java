package org.rnn4j.cli.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.cli.CliException;

class CsvTableTest {
    private static final String CRLF = "\"Month\",\"Sales\",\"Temp\"\r\n\"1-01\",266.0,NA\r\n\"1-02\",145.9,3\r\n\"1-03\",183.1,\r\n\"1-04\",119.3,5";

    @Test
    void readsQuotedHeaderCrlfAndNoFinalNewline() {
        CsvTable t = CsvTable.parse("t.csv", CRLF);
        assertEquals(List.of("Month", "Sales", "Temp"), t.header());
        assertEquals(4, t.numRows());
        assertArrayEquals(new double[] {266.0, 145.9, 183.1, 119.3},
                t.numeric(List.of("Sales"), MissingPolicy.ERROR).column(0));
        // LF gives the same table.
        assertEquals("119.3", CsvTable.parse("t.csv", CRLF.replace("\r\n", "\n")).cell(3, 1));
    }

    @Test
    void missingValueIsReportedWithRowAndColumn() {
        CliException e = assertThrows(CliException.class,
                () -> CsvTable.parse("t.csv", CRLF).numeric(List.of("Sales", "Temp"), MissingPolicy.ERROR));
        assertTrue(e.getMessage().contains("'NA' at row 1 (line 2), column 'Temp'"), e.getMessage());
    }

    @Test
    void fillAndDropPolicies() {
        CsvTable t = CsvTable.parse("t.csv", CRLF.replace("266.0,NA", "266.0,1"));
        CsvTable.NumericColumns ff = t.numeric(List.of("Temp"), MissingPolicy.FFILL);
        assertArrayEquals(new double[] {1, 3, 3, 5}, ff.column(0));
        assertEquals(1, ff.filled());
        assertArrayEquals(new double[] {1, 3, -9, 5}, t.numeric(List.of("Temp"), MissingPolicy.parse("-9")).column(0));
        CsvTable.NumericColumns dropped = t.numeric(List.of("Sales", "Temp"), MissingPolicy.DROP);
        assertArrayEquals(new int[] {0, 1, 3}, dropped.rowIndex());
        assertEquals(1, dropped.dropped());
        // Forward fill cannot fill the first row.
        assertThrows(CliException.class, () -> CsvTable.parse("t.csv", CRLF).numeric(List.of("Temp"), MissingPolicy.FFILL));
    }

    @Test
    void missingColumnNamesTheAvailableOnes() {
        CliException e = assertThrows(CliException.class, () -> CsvTable.parse("t.csv", CRLF).columnIndex("Price"));
        assertEquals("Column 'Price' not found in t.csv; columns are: Month, Sales, Temp", e.getMessage());
    }

    @Test
    void emptyFileHeaderOnlyAndBadNumbersAreErrors() {
        assertTrue(assertThrows(CliException.class, () -> CsvTable.parse("e.csv", "")).getMessage().contains("e.csv is empty"));
        assertTrue(assertThrows(CliException.class, () -> CsvTable.parse("h.csv", "a,b\r\n")).getMessage().contains("no data rows"));
        CliException e = assertThrows(CliException.class,
                () -> CsvTable.parse("b.csv", "a,b\n1,x2\n").numeric(List.of("b"), MissingPolicy.ERROR));
        assertTrue(e.getMessage().contains("'x2' at row 1 (line 2), column 'b' is not a number"), e.getMessage());
        assertThrows(CliException.class, () -> CsvTable.parse("r.csv", "a,b\n1,2,3\n"));
        assertThrows(CliException.class, () -> MissingPolicy.parse("sometimes"));
    }

    @Test
    void bundledBeijingFileParsesWithItsNaColumn() {
        CsvTable t = Bundled.csv(Bundled.WEATHER);
        assertEquals(43824, t.numRows());
        assertEquals("NA", t.cell(0, t.columnIndex("pm2.5")));
        CliException e = assertThrows(CliException.class, () -> t.numeric(List.of("pm2.5"), MissingPolicy.ERROR));
        assertTrue(e.getMessage().contains("row 1 (line 2), column 'pm2.5'"), e.getMessage());
        assertEquals(43824 - 2067, t.numeric(List.of("pm2.5"), MissingPolicy.DROP).numRows());
    }
}
