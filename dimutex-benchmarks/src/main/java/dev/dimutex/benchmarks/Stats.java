package dev.dimutex.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/** Small statistics over samples. Percentiles use the nearest-rank definition. */
final class Stats {
  private Stats() {}

  static double median(Collection<? extends Number> samples) {
    return percentile(samples, 50);
  }

  static double percentile(Collection<? extends Number> samples, double p) {
    if (samples.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(samples.size());
    for (Number n : samples) {
      sorted.add(n.doubleValue());
    }
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  static double mean(Collection<? extends Number> samples) {
    if (samples.isEmpty()) {
      return Double.NaN;
    }
    double sum = 0;
    for (Number n : samples) {
      sum += n.doubleValue();
    }
    return sum / samples.size();
  }

  static double max(Collection<? extends Number> samples) {
    double max = Double.NaN;
    for (Number n : samples) {
      max = Double.isNaN(max) ? n.doubleValue() : Math.max(max, n.doubleValue());
    }
    return max;
  }

  static String ms(double nanos) {
    return Results.format(nanos / 1e6) + " ms";
  }
}
