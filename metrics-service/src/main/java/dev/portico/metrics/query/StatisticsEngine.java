package dev.portico.metrics.query;

import dev.portico.metrics.model.Aggregate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Answers a statistics request from final tier periods: each tier period starting in [start, end)
 * is merged into the bucket {@code start + k * period} it starts in, so buckets are aligned to the
 * request's startTime, sorted by time, and empty buckets are left out (as CloudWatch does).
 */
public final class StatisticsEngine {
  private final MetricReader reader;

  public StatisticsEngine(MetricReader reader) {
    this.reader = reader;
  }

  /** One bucket's merged aggregate. */
  public record Bucket(long start, Aggregate aggregate) {}

  public List<Bucket> buckets(StatisticsRequest request) {
    long periodMillis = request.period() * 1000L;
    TreeMap<Long, Aggregate> buckets = new TreeMap<>();
    for (var period :
        reader.periods(request.metric(), request.tier(), request.start(), request.end())) {
      long bucket =
          request.start()
              + Math.floorDiv(period.start() - request.start(), periodMillis) * periodMillis;
      buckets.computeIfAbsent(bucket, b -> new Aggregate()).merge(period.aggregate());
    }
    List<Bucket> result = new ArrayList<>(buckets.size());
    buckets.forEach((start, aggregate) -> result.add(new Bucket(start, aggregate)));
    return result;
  }
}
