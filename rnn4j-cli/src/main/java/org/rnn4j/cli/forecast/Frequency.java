package org.rnn4j.cli.forecast;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.rnn4j.cli.io.CsvTable;

/**
 * The sampling frequency of a CSV's rows, read from its time column (the first column whose cells
 * parse as dates, or year/month/day/hour columns), and the season length that goes with it: 24
 * for hourly data, 7 daily, 52 weekly, 12 monthly, 4 quarterly; 12 when no time column is found.
 */
public record Frequency(String description, int season, LocalDateTime[] times) {
    private static final List<DateTimeFormatter> DATE_TIMES = List.of(
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm[:ss]", Locale.ROOT),
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm[:ss]", Locale.ROOT),
            DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm[:ss]", Locale.ROOT));
    private static final List<DateTimeFormatter> DATES = List.of(
            DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT),
            DateTimeFormatter.ofPattern("yyyy/MM/dd", Locale.ROOT));
    private static final DateTimeFormatter MONTHS = DateTimeFormatter.ofPattern("yyyy-MM", Locale.ROOT);

    /** The frequency of {@code t}'s rows; {@code times} is null when no time column was found. */
    public static Frequency of(CsvTable t) {
        LocalDateTime[] times = times(t);
        if (times == null || times.length < 2) {
            return new Frequency("no time column found", 12, null);
        }
        long[] steps = new long[Math.min(times.length - 1, 200)];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = Duration.between(times[i], times[i + 1]).toMinutes();
        }
        Arrays.sort(steps);
        long median = steps[steps.length / 2];
        long hour = 60;
        long day = 24 * hour;
        if (median == hour) {
            return new Frequency("hourly rows", 24, times);
        }
        if (median == day) {
            return new Frequency("daily rows", 7, times);
        }
        if (median == 7 * day) {
            return new Frequency("weekly rows", 52, times);
        }
        if (median >= 28 * day && median <= 31 * day) {
            return new Frequency("monthly rows", 12, times);
        }
        if (median >= 89 * day && median <= 92 * day) {
            return new Frequency("quarterly rows", 4, times);
        }
        return new Frequency("rows every " + median + " minutes", 12, times);
    }

    private static LocalDateTime[] times(CsvTable t) {
        List<String> header = t.header();
        List<String> lower = header.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
        int n = t.numRows();
        if (lower.contains("year") && lower.contains("month") && lower.contains("day")) {
            int y = lower.indexOf("year");
            int m = lower.indexOf("month");
            int d = lower.indexOf("day");
            int h = lower.indexOf("hour");
            LocalDateTime[] out = new LocalDateTime[n];
            try {
                for (int r = 0; r < n; r++) {
                    LocalDate date = LocalDate.of(Integer.parseInt(t.cell(r, y).trim()), Integer.parseInt(t.cell(r, m).trim()),
                            Integer.parseInt(t.cell(r, d).trim()));
                    out[r] = date.atStartOfDay().plusHours(h >= 0 ? Integer.parseInt(t.cell(r, h).trim()) : 0);
                }
                return out;
            } catch (RuntimeException e) {
                return null;
            }
        }
        for (int c = 0; c < header.size(); c++) {
            if (n > 0 && parse(t.cell(0, c)) != null) {
                LocalDateTime[] out = new LocalDateTime[n];
                for (int r = 0; r < n; r++) {
                    out[r] = parse(t.cell(r, c));
                    if (out[r] == null) {
                        return null;
                    }
                }
                return out;
            }
        }
        return null;
    }

    /** A date or date-time cell, or null. */
    static LocalDateTime parse(String cell) {
        String s = cell.trim();
        for (DateTimeFormatter f : DATE_TIMES) {
            try {
                return LocalDateTime.parse(s, f);
            } catch (DateTimeParseException e) {
                // next
            }
        }
        for (DateTimeFormatter f : DATES) {
            try {
                return LocalDate.parse(s, f).atStartOfDay();
            } catch (DateTimeParseException e) {
                // next
            }
        }
        try {
            return YearMonth.parse(s, MONTHS).atDay(1).atStartOfDay();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
