package org.rnn4j.cli.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The datasets bundled in the jar under {@code /datasets/} (see the README for sources and licences). */
public final class Bundled {
    public static final String WEATHER = "weather/beijing_pm25_weather_hourly_2010-2014.csv";
    public static final String SHAKESPEARE = "text/tinyshakespeare.txt";
    public static final String SMS_SPAM = "classification/sms_spam_collection.txt";
    public static final List<String> SALES = List.of(
            "sales/airline_passengers_monthly_1949-1960.csv",
            "sales/shampoo_sales_monthly_3y.csv",
            "sales/quebec_car_sales_monthly_1960-1968.csv",
            "sales/us_retail_clothing_sales_RSCCASN_monthly_1992-2023.csv");

    private Bundled() {
    }

    public static String text(String name) {
        return text(name, StandardCharsets.UTF_8);
    }

    public static String text(String name, Charset charset) {
        try (InputStream in = Bundled.class.getResourceAsStream("/datasets/" + name)) {
            if (in == null) {
                throw new IllegalStateException("Bundled dataset /datasets/" + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), charset);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read bundled dataset " + name, e);
        }
    }

    /** The bundled CSV files, as {@code --csv bundled:NAME} takes them. */
    public static List<String> csvNames() {
        List<String> names = new java.util.ArrayList<>();
        names.add(WEATHER);
        names.addAll(SALES);
        return names;
    }

    /** A bundled CSV; an unknown name is a one-line {@link CliException} listing the available ones. */
    public static CsvTable csv(String name) {
        if (!csvNames().contains(name)) {
            throw new org.rnn4j.cli.CliException("No bundled CSV '" + name + "'; available: bundled:"
                    + String.join(", bundled:", csvNames()));
        }
        return CsvTable.parse("bundled " + name, text(name));
    }
}
