package io.hearth.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The latency distributions as a percentile plot (PNG, XChart). */
final class Charts {
  private Charts() {}

  /**
   * One line per histogram: x is the percentile on a "number of nines" axis (1 = 90 %, 2 = 99 %,
   * 3 = 99.9 %), y the latency in ms (log scale).
   */
  static void latency(Map<String, Histogram> histograms, Path png) throws IOException {
    XYChart chart = new XYChartBuilder().width(1000).height(600).title("Hearth: latency by percentile (raw vs gateway)")
        .xAxisTitle("percentile (0 = p0, 1 = p90, 2 = p99, 3 = p99.9)").yAxisTitle("latency, ms").build();
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
    for (Map.Entry<String, Histogram> e : histograms.entrySet()) {
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      for (HistogramIterationValue v : e.getValue().percentiles(5)) {
        double p = v.getPercentileLevelIteratedTo();
        if (p >= 99.99) {
          break;
        }
        x.add(-Math.log10(1 - p / 100.0));
        y.add(Math.max(0.001, v.getValueIteratedTo() / 1e6));
      }
      if (x.size() > 1) {
        chart.addSeries(e.getKey(), x, y).setMarker(SeriesMarkers.NONE);
      }
    }
    if (!chart.getSeriesMap().isEmpty()) {
      BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
  }
}
