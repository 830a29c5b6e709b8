package dev.portico.metrics.ingest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.portico.contracts.MetricDatum;
import dev.portico.metrics.http.BadRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /metrics/data}, as CloudWatch's PutMetricData: a namespace and 1-1,000
 * datums (each a {@link MetricDatum}; its own Namespace may be left out).
 */
public record PutMetricDataRequest(
    @JsonProperty("Namespace") String namespace,
    @JsonProperty("MetricData") List<MetricDatum> metricData) {
  private static final int MAX_PROBLEMS_SHOWN = 100;

  /**
   * The datums ready for the custom topic (namespace set, missing timestamps = {@code nowMillis}),
   * or a {@link BadRequest} naming every problem.
   */
  public List<MetricDatum> validDatums(long nowMillis) {
    List<String> problems = new ArrayList<>(DatumRules.namespaceProblems(namespace, "Namespace"));
    if (metricData == null || metricData.isEmpty() || metricData.size() > DatumRules.MAX_DATUMS) {
      problems.add(
          "MetricData: must hold 1-"
              + DatumRules.MAX_DATUMS
              + " datums"
              + (metricData == null ? "" : " (got " + metricData.size() + ")"));
      throw BadRequest.of(problems);
    }
    List<MetricDatum> datums = new ArrayList<>(metricData.size());
    for (int i = 0; i < metricData.size(); i++) {
      MetricDatum datum = metricData.get(i);
      String path = "MetricData[" + i + "]";
      if (datum == null) {
        problems.add(path + ": must be an object");
        continue;
      }
      if (datum.namespace() != null && !datum.namespace().equals(namespace)) {
        problems.add(path + ".Namespace: must be left out or equal the request's Namespace");
        continue;
      }
      MetricDatum complete = CustomMetrics.complete(datum, namespace, nowMillis);
      List<String> datumProblems = DatumRules.problems(complete, path, nowMillis);
      // The request's namespace is reported once, not per datum.
      datumProblems.removeIf(problem -> problem.startsWith(path + ".Namespace"));
      problems.addAll(datumProblems);
      datums.add(complete);
    }
    if (!problems.isEmpty()) {
      int total = problems.size();
      List<String> shown = problems.subList(0, Math.min(total, MAX_PROBLEMS_SHOWN));
      String message =
          total == 1 ? problems.get(0) : total + " problems, the first: " + problems.get(0);
      throw new BadRequest(400, message, shown);
    }
    return datums;
  }
}
