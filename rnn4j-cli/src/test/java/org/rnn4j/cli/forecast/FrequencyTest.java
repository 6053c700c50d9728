package org.rnn4j.cli.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.rnn4j.cli.io.Bundled;
import org.rnn4j.cli.io.CsvTable;

/** The seasonal baseline's default season comes from the rows' frequency, not a fixed 12. */
class FrequencyTest {
    @Test
    void bundledHourlyWeatherIsSeason24() {
        Frequency f = Frequency.of(Bundled.csv(Bundled.WEATHER));
        assertEquals(24, f.season());
        assertEquals(LocalDateTime.of(2010, 1, 1, 1, 0), f.times()[1]);
    }

    @Test
    void bundledMonthlySalesAreSeason12() {
        assertEquals(12, Frequency.of(Bundled.csv(Bundled.SALES.get(0))).season());
        assertEquals(12, Frequency.of(Bundled.csv(Bundled.SALES.get(3))).season());
    }

    @Test
    void timeColumnsOfEachFrequency() {
        assertEquals(24, Frequency.of(CsvTable.parse("t", "time,v\n2024-01-01 00:00,1\n2024-01-01 01:00,2\n2024-01-01 02:00,3\n")).season());
        assertEquals(24, Frequency.of(CsvTable.parse("t", "time,v\n2024-01-01T00:00:00,1\n2024-01-01T01:00:00,2\n")).season());
        assertEquals(7, Frequency.of(CsvTable.parse("t", "date,v\n2024-01-01,1\n2024-01-02,2\n2024-01-03,3\n")).season());
        assertEquals(52, Frequency.of(CsvTable.parse("t", "date,v\n2024-01-01,1\n2024-01-08,2\n2024-01-15,3\n")).season());
        assertEquals(4, Frequency.of(CsvTable.parse("t", "q,v\n2024-01-01,1\n2024-04-01,2\n2024-07-01,3\n")).season());
        Frequency none = Frequency.of(CsvTable.parse("t", "i,v\n1,1\n2,2\n3,3\n"));
        assertEquals(12, none.season());
        assertNull(none.times());
    }
}
