package dev.portico.metrics.query;

import dev.portico.metrics.http.BadRequest;
import dev.portico.metrics.model.MetricId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A ListMetrics request: optional namespace, metric name and dimension filters ({@code
 * dimension=Name=Value}, or {@code dimension=Name} for any value), and a page token. Lists the
 * metrics with a final datapoint in the last two weeks, sorted by their datapoint-topic key, 500 a
 * page.
 */
public record ListMetricsRequest(
    String namespace, String metricName, Map<String, String> dimensions, String after) {
  public static final int PAGE_SIZE = 500;
  public static final Duration HORIZON = Duration.ofDays(14);

  public static ListMetricsRequest parse(Map<String, List<String>> parameters) {
    List<String> problems = new ArrayList<>();
    var dimensions = MetricSelector.dimensions(parameters.get("dimension"), true, problems);
    String token = StatisticsRequest.first(parameters, "nextToken");
    String after = null;
    if (token != null) {
      try {
        after = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        problems.add("nextToken: not a token this API returned");
      }
    }
    if (!problems.isEmpty()) {
      throw BadRequest.of(problems);
    }
    return new ListMetricsRequest(
        StatisticsRequest.first(parameters, "namespace"),
        StatisticsRequest.first(parameters, "metricName"),
        dimensions,
        after);
  }

  /** One page of matching metrics. */
  public record Page(List<MetricId> metrics, String nextToken) {}

  public Page page(List<MetricReader.Seen> known, long now) {
    long horizon = now - HORIZON.toMillis();
    List<MetricId> matching =
        known.stream()
            .filter(seen -> seen.lastMinute() >= horizon)
            .map(MetricReader.Seen::metric)
            .filter(this::matches)
            .filter(metric -> after == null || metric.kafkaKey().compareTo(after) > 0)
            .sorted(Comparator.comparing(MetricId::kafkaKey))
            .distinct()
            .toList();
    if (matching.size() <= PAGE_SIZE) {
      return new Page(matching, null);
    }
    List<MetricId> page = matching.subList(0, PAGE_SIZE);
    String last = page.get(PAGE_SIZE - 1).kafkaKey();
    return new Page(
        page, Base64.getUrlEncoder().encodeToString(last.getBytes(StandardCharsets.UTF_8)));
  }

  private boolean matches(MetricId metric) {
    if (namespace != null && !namespace.equals(metric.namespace())) {
      return false;
    }
    if (metricName != null && !metricName.equals(metric.metricName())) {
      return false;
    }
    for (var filter : dimensions.entrySet()) {
      String value = metric.dimensions().get(filter.getKey());
      if (value == null || (filter.getValue() != null && !filter.getValue().equals(value))) {
        return false;
      }
    }
    return true;
  }
}
