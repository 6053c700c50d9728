package org.rnn4j.cli.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.ui.Layer;
import org.junit.jupiter.api.Test;

class ChartsTest {
    @Test
    void forecastChartHasDatesOnItsXAxis() {
        LocalDateTime[] times = new LocalDateTime[48];
        double[] v = new double[48];
        for (int i = 0; i < times.length; i++) {
            times[i] = LocalDateTime.of(2014, 4, 2, 2, 0).plusHours(i);
            v[i] = Math.sin(i);
        }
        Map<String, double[]> s = new LinkedHashMap<>();
        s.put("actual", v);
        JFreeChart chart = Charts.timeChart("t", "degrees C", times, s);
        DateAxis axis = assertInstanceOf(DateAxis.class, chart.getXYPlot().getDomainAxis());
        assertEquals("2014-04-02", axis.getDateFormatOverride().format(java.util.Date.from(
                times[0].atZone(java.time.ZoneOffset.UTC).toInstant())));
        assertEquals(48, chart.getXYPlot().getDataset().getItemCount(0));
    }

    @Test
    void lossChartMarksTheKeptEpoch() {
        JFreeChart chart = Charts.lossChart("loss", new double[] {3, 2, 1, 1.5, 1.7}, new double[] {3, 2.5, 2, 2.2, 2.4}, 3);
        Collection<?> markers = chart.getXYPlot().getDomainMarkers(Layer.FOREGROUND);
        assertEquals(1, markers.size());
        ValueMarker m = (ValueMarker) markers.iterator().next();
        assertEquals(3.0, m.getValue());
        assertTrue(m.getLabel().contains("kept: epoch 3"), m.getLabel());
        assertEquals(null, Charts.lossChart("loss", new double[] {1}, null, 0).getXYPlot().getDomainMarkers(Layer.FOREGROUND));
    }
}
