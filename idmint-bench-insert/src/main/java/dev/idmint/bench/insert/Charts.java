package dev.idmint.bench.insert;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws insert rate against table size, one line per key type, one PNG per engine, with JFreeChart
 * in headless mode: the benchmark writes its own charts, no tool outside the JVM.
 */
final class Charts {
  /** One colour per key type, in {@link KeyType} order; idmint's keys in the blues and greens. */
  private static final Color[] COLOURS = {
    new Color(0x1f77b4),
    new Color(0x2ca02c),
    new Color(0x7f7f7f),
    new Color(0xd62728),
    new Color(0xff7f0e),
    new Color(0x9467bd),
  };

  private Charts() {}

  static void write(Path file, Engine engine, String version, List<Sample> samples, String subtitle)
      throws IOException {
    XYSeriesCollection data = new XYSeriesCollection();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    int series = 0;
    for (KeyType key : KeyType.values()) {
      List<Sample> ofKey =
          samples.stream().filter(s -> s.engine() == engine && s.key() == key).toList();
      if (ofKey.isEmpty()) {
        continue;
      }
      XYSeries line = new XYSeries(key.label());
      for (Sample sample : ofKey) {
        line.add(sample.rowsAfter() / 1e6, sample.rowsPerSecond());
      }
      data.addSeries(line);
      renderer.setSeriesPaint(series, COLOURS[key.ordinal()]);
      renderer.setSeriesStroke(
          series,
          key == KeyType.SNOWFLAKE || key == KeyType.SEGMENT
              ? new BasicStroke(2.5f)
              : new BasicStroke(1.6f));
      series++;
    }
    NumberAxis rows = new NumberAxis("rows in the table (millions)");
    rows.setAutoRangeIncludesZero(true);
    NumberAxis rate = new NumberAxis("insert rate (rows/s, per chunk)");
    rate.setAutoRangeIncludesZero(true);
    XYPlot plot = new XYPlot(data, rows, rate, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xdddddd));
    plot.setRangeGridlinePaint(new Color(0xdddddd));
    JFreeChart chart =
        new JFreeChart(
            engine.label() + " " + version + ": insert rate by primary key",
            new Font(Font.SANS_SERIF, Font.BOLD, 16),
            plot,
            true);
    chart.addSubtitle(new TextTitle(subtitle, new Font(Font.SANS_SERIF, Font.PLAIN, 12)));
    chart.setBackgroundPaint(Color.WHITE);
    ChartUtils.saveChartAsPNG(file.toFile(), chart, 1000, 560);
  }

  static String fileName(Engine engine) {
    return "insert-rate-" + engine.id().toLowerCase(Locale.ROOT) + ".png";
  }
}
