package dev.portico.metrics.query;

import dev.portico.metrics.aggregation.Tier;
import dev.portico.metrics.http.BadRequest;
import dev.portico.metrics.model.MetricId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Another replica asking for this one's periods of one metric and tier: [from, to). */
public record ReplicaQuery(MetricId metric, Tier tier, long from, long to) {
  public static ReplicaQuery parse(Map<String, List<String>> parameters) {
    List<String> problems = new ArrayList<>();
    String namespace =
        MetricSelector.required(
            "namespace", StatisticsRequest.first(parameters, "namespace"), problems);
    String metricName =
        MetricSelector.required(
            "metricName", StatisticsRequest.first(parameters, "metricName"), problems);
    var dimensions = MetricSelector.dimensions(parameters.get("dimension"), false, problems);
    Tier tier = null;
    long from = 0;
    long to = 0;
    try {
      int seconds = Integer.parseInt(StatisticsRequest.first(parameters, "tier"));
      for (Tier candidate : Tier.values()) {
        if (candidate.seconds() == seconds) {
          tier = candidate;
        }
      }
      from = Long.parseLong(StatisticsRequest.first(parameters, "from"));
      to = Long.parseLong(StatisticsRequest.first(parameters, "to"));
    } catch (NumberFormatException e) {
      problems.add("tier, from and to: numbers required");
    }
    if (tier == null) {
      problems.add("tier: 1, 60, 300 or 3600");
    }
    if (!problems.isEmpty()) {
      throw BadRequest.of(problems);
    }
    return new ReplicaQuery(MetricId.of(namespace, metricName, dimensions), tier, from, to);
  }
}
