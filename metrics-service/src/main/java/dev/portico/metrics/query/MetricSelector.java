package dev.portico.metrics.query;

import dev.portico.metrics.ingest.DatumRules;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads {@code dimension=Name=Value} query parameters (repeatable). A bare {@code Name} (no '=') is
 * allowed where {@code namesOnly} is true: ListMetrics' "has this dimension, any value".
 */
final class MetricSelector {
  private MetricSelector() {}

  static Map<String, String> dimensions(
      List<String> parameters, boolean namesOnly, List<String> problems) {
    Map<String, String> dimensions = new TreeMap<>();
    if (parameters == null) {
      return dimensions;
    }
    if (parameters.size() > DatumRules.MAX_DIMENSIONS) {
      problems.add("dimension: at most " + DatumRules.MAX_DIMENSIONS + " dimensions");
      return dimensions;
    }
    for (String parameter : parameters) {
      int equals = parameter.indexOf('=');
      String name = equals < 0 ? parameter : parameter.substring(0, equals);
      String value = equals < 0 ? null : parameter.substring(equals + 1);
      if (name.isEmpty() || name.length() > DatumRules.MAX_NAME) {
        problems.add("dimension: a name must be 1-" + DatumRules.MAX_NAME + " characters");
      } else if (value == null && !namesOnly) {
        problems.add("dimension: '" + parameter + "' must be Name=Value");
      } else if (value != null
          && (value.isEmpty() || value.length() > DatumRules.MAX_DIMENSION_VALUE)) {
        problems.add(
            "dimension "
                + name
                + ": the value must be 1-"
                + DatumRules.MAX_DIMENSION_VALUE
                + " characters");
      } else if (dimensions.containsKey(name)) {
        problems.add("dimension " + name + ": given twice");
      } else {
        dimensions.put(name, value);
      }
    }
    return dimensions;
  }

  static String required(String name, String value, List<String> problems) {
    if (value == null || value.isEmpty() || value.length() > DatumRules.MAX_NAME) {
      problems.add(name + ": required, 1-" + DatumRules.MAX_NAME + " characters");
    }
    return value;
  }
}
