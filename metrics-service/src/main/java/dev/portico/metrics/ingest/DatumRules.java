package dev.portico.metrics.ingest;

import dev.portico.contracts.MetricDatum;
import dev.portico.contracts.MetricUnits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The limits of a custom metric datum, as CloudWatch's PutMetricData enforces them: namespace and
 * metric name 1-255 characters, at most 30 dimensions (name 1-255, value 1-1024), exactly one of
 * Value, StatisticValues or Values (at most 150, with Counts of the same length), finite numbers
 * only, a timestamp at most 2 weeks old and at most 2 hours ahead, storage resolution 1 or 60 and a
 * CloudWatch unit. Namespaces starting with {@code Portico/} are reserved for Portico's own
 * metrics, as {@code AWS/} is on AWS.
 */
public final class DatumRules {
  public static final int MAX_DATUMS = 1000;
  public static final int MAX_DIMENSIONS = 30;
  public static final int MAX_NAME = 255;
  public static final int MAX_DIMENSION_VALUE = 1024;
  public static final int MAX_VALUES = 150;
  public static final Duration MAX_AGE = Duration.ofDays(14);
  public static final Duration MAX_AHEAD = Duration.ofHours(2);
  public static final String RESERVED_PREFIX = "Portico/";
  public static final Set<String> UNITS = MetricUnits.ALL;

  private DatumRules() {}

  static boolean isDimensionValue(String value) {
    return value != null && !value.isEmpty() && value.length() <= MAX_DIMENSION_VALUE;
  }

  /** Problems of a namespace; {@code field} names it in the messages. */
  public static List<String> namespaceProblems(String namespace, String field) {
    List<String> problems = new ArrayList<>();
    if (namespace == null || namespace.isEmpty() || namespace.length() > MAX_NAME) {
      problems.add(field + ": must be 1-" + MAX_NAME + " characters");
    } else if (namespace.startsWith(RESERVED_PREFIX)) {
      problems.add(field + ": namespaces starting with '" + RESERVED_PREFIX + "' are reserved");
    }
    return problems;
  }

  /**
   * Every problem of one datum, each prefixed by {@code path} (e.g. {@code MetricData[3]}); empty
   * when the datum is valid at {@code nowMillis}.
   */
  public static List<String> problems(MetricDatum datum, String path, long nowMillis) {
    List<String> problems = new ArrayList<>();
    if (datum == null) {
      problems.add(path + ": must be an object");
      return problems;
    }
    problems.addAll(namespaceProblems(datum.namespace(), path + ".Namespace"));
    checkName(datum.metricName(), path + ".MetricName", problems);
    checkDimensions(datum.dimensions(), path + ".Dimensions", problems);
    checkValues(datum, path, problems);
    if (datum.timestamp() != null) {
      long timestamp = datum.timestamp();
      if (timestamp < nowMillis - MAX_AGE.toMillis()) {
        problems.add(path + ".Timestamp: must not be more than 2 weeks in the past");
      } else if (timestamp > nowMillis + MAX_AHEAD.toMillis()) {
        problems.add(path + ".Timestamp: must not be more than 2 hours in the future");
      }
    }
    Integer resolution = datum.storageResolution();
    if (resolution != null && resolution != 1 && resolution != 60) {
      problems.add(path + ".StorageResolution: must be 1 or 60");
    }
    if (datum.unit() != null && !UNITS.contains(datum.unit())) {
      problems.add(path + ".Unit: must be one of CloudWatch's units (Seconds, Count, ...)");
    }
    return problems;
  }

  private static void checkName(String name, String field, List<String> problems) {
    if (name == null || name.isEmpty() || name.length() > MAX_NAME) {
      problems.add(field + ": must be 1-" + MAX_NAME + " characters");
    }
  }

  private static void checkDimensions(
      Map<String, String> dimensions, String field, List<String> problems) {
    if (dimensions == null) {
      return;
    }
    if (dimensions.size() > MAX_DIMENSIONS) {
      problems.add(
          field + ": at most " + MAX_DIMENSIONS + " dimensions (got " + dimensions.size() + ")");
      return;
    }
    for (var dimension : dimensions.entrySet()) {
      String name = dimension.getKey();
      if (name == null || name.isEmpty() || name.length() > MAX_NAME) {
        problems.add(field + ": a dimension name must be 1-" + MAX_NAME + " characters");
      } else if (!isDimensionValue(dimension.getValue())) {
        problems.add(
            field + "." + name + ": the value must be 1-" + MAX_DIMENSION_VALUE + " characters");
      }
    }
  }

  private static void checkValues(MetricDatum datum, String path, List<String> problems) {
    int kinds =
        (datum.value() != null ? 1 : 0)
            + (datum.statisticValues() != null ? 1 : 0)
            + (datum.values() != null ? 1 : 0);
    if (kinds != 1) {
      problems.add(path + ": exactly one of Value, StatisticValues or Values is required");
      return;
    }
    if (datum.counts() != null && datum.values() == null) {
      problems.add(path + ".Counts: only allowed with Values");
    }
    if (datum.value() != null) {
      checkFinite(datum.value(), path + ".Value", problems);
    } else if (datum.statisticValues() != null) {
      var set = datum.statisticValues();
      checkFinite(set.sampleCount(), path + ".StatisticValues.SampleCount", problems);
      checkFinite(set.sum(), path + ".StatisticValues.Sum", problems);
      checkFinite(set.minimum(), path + ".StatisticValues.Minimum", problems);
      checkFinite(set.maximum(), path + ".StatisticValues.Maximum", problems);
      if (set.sampleCount() <= 0) {
        problems.add(path + ".StatisticValues.SampleCount: must be greater than 0");
      }
      if (set.minimum() > set.maximum()) {
        problems.add(path + ".StatisticValues: Minimum must not be greater than Maximum");
      }
    } else {
      checkDistribution(datum.values(), datum.counts(), path, problems);
    }
  }

  private static void checkDistribution(
      List<Double> values, List<Double> counts, String path, List<String> problems) {
    if (values.isEmpty() || values.size() > MAX_VALUES) {
      problems.add(path + ".Values: must hold 1-" + MAX_VALUES + " values");
      return;
    }
    for (int i = 0; i < values.size(); i++) {
      checkFinite(values.get(i), path + ".Values[" + i + "]", problems);
    }
    if (counts == null) {
      return;
    }
    if (counts.size() != values.size()) {
      problems.add(path + ".Counts: must have as many entries as Values");
      return;
    }
    for (int i = 0; i < counts.size(); i++) {
      Double count = counts.get(i);
      checkFinite(count, path + ".Counts[" + i + "]", problems);
      if (count != null && count < 0) {
        problems.add(path + ".Counts[" + i + "]: must not be negative");
      }
    }
  }

  private static void checkFinite(Double value, String field, List<String> problems) {
    if (value == null) {
      problems.add(field + ": must be a number");
    } else if (!Double.isFinite(value)) {
      problems.add(field + ": NaN and Infinity are not allowed");
    }
  }
}
