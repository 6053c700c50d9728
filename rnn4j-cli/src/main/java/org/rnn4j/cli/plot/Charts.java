package org.rnn4j.cli.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.rnn4j.cli.CliException;

/** Line charts written as PNG with JFreeChart, headless (no display needed). */
public final class Charts {
    private static final Color[] COLORS = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
        new Color(214, 39, 40)};

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /**
     * Writes a line chart of the named series (x = 0.. or {@code xStart + i * xStep}) to a PNG.
     * Series are drawn in insertion order.
     */
    public static void linePng(Path file, String title, String xLabel, String yLabel, double xStart, double xStep,
                               Map<String, double[]> series, int width, int height) {
        write(file, lineChart(title, xLabel, yLabel, xStart, xStep, series), width, height);
    }

    /**
     * Writes a line chart of the named series against the dates {@code times} (one per value; the
     * x axis shows dates and times, not step numbers) to a PNG.
     */
    public static void timePng(Path file, String title, String yLabel, java.time.LocalDateTime[] times,
                               Map<String, double[]> series, int width, int height) {
        write(file, timeChart(title, yLabel, times, series), width, height);
    }

    /** The chart {@link #timePng} draws. */
    public static JFreeChart timeChart(String title, String yLabel, java.time.LocalDateTime[] times, Map<String, double[]> series) {
        org.jfree.data.time.TimeSeriesCollection dataset = new org.jfree.data.time.TimeSeriesCollection();
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            org.jfree.data.time.TimeSeries s = new org.jfree.data.time.TimeSeries(e.getKey());
            double[] v = e.getValue();
            for (int i = 0; i < v.length && i < times.length; i++) {
                java.util.Date d = java.util.Date.from(times[i].atZone(java.time.ZoneOffset.UTC).toInstant());
                s.addOrUpdate(new org.jfree.data.time.Millisecond(d, java.util.TimeZone.getTimeZone("UTC"), java.util.Locale.ROOT), v[i]);
            }
            dataset.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createTimeSeriesChart(title, "date", yLabel, dataset, true, false, false);
        XYPlot plot = style(chart, series);
        org.jfree.chart.axis.DateAxis axis = (org.jfree.chart.axis.DateAxis) plot.getDomainAxis();
        axis.setTimeZone(java.util.TimeZone.getTimeZone("UTC"));
        long span = times.length > 1 ? java.time.Duration.between(times[0], times[Math.min(times.length, series.values().iterator().next().length) - 1]).toDays() : 0;
        axis.setDateFormatOverride(new java.text.SimpleDateFormat(span <= 60 ? "yyyy-MM-dd" : "yyyy-MM", java.util.Locale.ROOT) {
            {
                setTimeZone(java.util.TimeZone.getTimeZone("UTC"));
            }
        });
        return chart;
    }

    /** The chart {@link #linePng} draws. */
    public static JFreeChart lineChart(String title, String xLabel, String yLabel, double xStart, double xStep,
                                       Map<String, double[]> series) {
        XYSeriesCollection dataset = new XYSeriesCollection();
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            XYSeries s = new XYSeries(e.getKey(), false, true);
            double[] v = e.getValue();
            for (int i = 0; i < v.length; i++) {
                s.add(xStart + i * xStep, v[i], false);
            }
            dataset.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, dataset, PlotOrientation.VERTICAL,
                true, false, false);
        XYPlot plot = style(chart, series);
        if (xStep == 1 && xStart == 1) {
            // epochs: whole numbers on the x axis
            plot.getDomainAxis().setStandardTickUnits(org.jfree.chart.axis.NumberAxis.createIntegerTickUnits());
        }
        return chart;
    }

    private static XYPlot style(JFreeChart chart, Map<String, double[]> series) {
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(220, 220, 220));
        plot.setRangeGridlinePaint(new Color(220, 220, 220));
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < series.size(); i++) {
            renderer.setSeriesPaint(i, COLORS[i % COLORS.length]);
            renderer.setSeriesStroke(i, new BasicStroke(i == 0 ? 1.6f : 1.3f));
            if (series.size() < 3 && series.values().iterator().next().length < 60) {
                renderer.setSeriesShapesVisible(i, true);
            }
        }
        plot.setRenderer(renderer);
        ((org.jfree.chart.axis.NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        return plot;
    }

    private static void write(Path file, JFreeChart chart, int width, int height) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                java.nio.file.Files.createDirectories(parent);
            }
            ChartUtils.saveChartAsPNG(file.toFile(), chart, width, height);
        } catch (IOException e) {
            throw new CliException("Cannot write chart " + file + ": " + e.getMessage());
        }
    }

    /**
     * Training and validation loss per epoch (epochs numbered from 1), with a marked line at
     * {@code keptEpoch}, the epoch whose weights the model kept (0: no mark).
     */
    public static void lossPng(Path file, String title, double[] loss, double[] valLoss, int keptEpoch) {
        write(file, lossChart(title, loss, valLoss, keptEpoch), 800, 450);
    }

    /** The chart {@link #lossPng} draws. */
    public static JFreeChart lossChart(String title, double[] loss, double[] valLoss, int keptEpoch) {
        Map<String, double[]> s = new LinkedHashMap<>();
        s.put("training loss", loss);
        if (valLoss != null && valLoss.length > 0) {
            s.put("validation loss", valLoss);
        }
        JFreeChart chart = lineChart(title, "epoch", "loss", 1, 1, s);
        if (keptEpoch > 0) {
            org.jfree.chart.plot.ValueMarker m = new org.jfree.chart.plot.ValueMarker(keptEpoch, new Color(90, 90, 90),
                    new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            m.setLabel("kept: epoch " + keptEpoch);
            m.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_RIGHT);
            m.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.TOP_LEFT);
            chart.getXYPlot().addDomainMarker(m);
        }
        return chart;
    }
}
