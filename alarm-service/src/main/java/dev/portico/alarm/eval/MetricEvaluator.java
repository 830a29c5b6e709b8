package dev.portico.alarm.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.alarm.model.Datapoint;
import dev.portico.contracts.Json;
import dev.portico.contracts.alarms.AlarmDefinition;
import dev.portico.contracts.alarms.AlarmState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Decides a metric alarm's state from the datapoints of one evaluation window, as CloudWatch does.
 *
 * <p>The evaluation range is the newest N periods plus {@link #EXTRA_PERIODS} older ones. When it
 * holds at least N real datapoints, the newest N are evaluated and missing ones do not matter. When
 * it holds fewer, the missing slots are filled per TreatMissingData ({@code breaching}, {@code
 * notBreaching}), left undecided ({@code ignore}: the state stays unless the real datapoints decide
 * it either way), or left out ({@code missing}: the real datapoints are evaluated on their own,
 * needing min(M, real) breaching ones). With no real datapoint at all: INSUFFICIENT_DATA, keep,
 * ALARM, OK respectively. M breaching of N -> ALARM, not necessarily consecutive.
 *
 * <p>Pure: no clock, no I/O; {@code now} only stamps the reason data.
 */
public final class MetricEvaluator {
  /** Older periods the evaluation range reaches back beyond the newest N. */
  public static final int EXTRA_PERIODS = 2;

  private MetricEvaluator() {}

  /** How many periods the evaluation range spans, hence how many datapoints are worth keeping. */
  public static int rangePeriods(AlarmDefinition definition) {
    return definition.evaluationPeriods() + EXTRA_PERIODS;
  }

  /**
   * @param newestSlot start (epoch ms) of the newest period of the window
   * @param datapoints the alarm's datapoints, any order; those outside the range are ignored
   */
  public static Verdict evaluate(
      AlarmDefinition def, List<Datapoint> datapoints, long newestSlot, long now) {
    int n = def.evaluationPeriods();
    int m = def.datapointsToAlarm();
    long period = def.period() * 1000L;
    long oldest = newestSlot - (rangePeriods(def) - 1) * period;
    List<Datapoint> real =
        datapoints.stream()
            .filter(d -> d.timestamp() >= oldest && d.timestamp() <= newestSlot)
            .sorted(Comparator.comparingLong(Datapoint::timestamp).reversed())
            .toList();
    Comparison comparison = Comparison.named(def.comparisonOperator());
    MissingData missing = MissingData.named(def.treatMissingData());
    double threshold = def.threshold();
    Window w = new Window(def, comparison, threshold, now, newestSlot);

    if (real.size() >= n) {
      List<Datapoint> evaluated = real.subList(0, n);
      List<Datapoint> breaching = w.breaching(evaluated, true);
      if (breaching.size() >= m) {
        return w.verdict(AlarmState.ALARM, evaluated, List.of(w.part(breaching, n, false)), m);
      }
      return w.verdict(
          AlarmState.OK,
          evaluated,
          List.of(w.part(w.breaching(evaluated, false), n, true)),
          n - m + 1);
    }
    if (real.isEmpty()) {
      return allMissing(w, missing, n);
    }
    int k = real.size();
    int filled = n - k;
    List<Datapoint> breaching = w.breaching(real, true);
    List<Datapoint> fine = w.breaching(real, false);
    return switch (missing) {
      case breaching -> {
        if (breaching.size() + filled >= m) {
          List<String> parts = new ArrayList<>();
          if (!breaching.isEmpty()) {
            parts.add(w.part(breaching, k, false));
          }
          parts.add(filledPart(filled, missing));
          yield w.verdict(AlarmState.ALARM, real, parts, m);
        }
        yield w.verdict(AlarmState.OK, real, List.of(w.part(fine, k, true)), n - m + 1);
      }
      case notBreaching -> {
        if (breaching.size() >= m) {
          yield w.verdict(AlarmState.ALARM, real, List.of(w.part(breaching, k, false)), m);
        }
        List<String> parts = new ArrayList<>();
        if (!fine.isEmpty()) {
          parts.add(w.part(fine, k, true));
        }
        parts.add(filledPart(filled, missing));
        yield w.verdict(AlarmState.OK, real, parts, n - m + 1);
      }
      case ignore -> {
        if (breaching.size() >= m) {
          yield w.verdict(AlarmState.ALARM, real, List.of(w.part(breaching, k, false)), m);
        }
        if (fine.size() > n - m) {
          yield w.verdict(AlarmState.OK, real, List.of(w.part(fine, k, true)), n - m + 1);
        }
        yield Verdict.KEEP;
      }
      case missing -> {
        int needed = Math.min(m, k);
        if (breaching.size() >= needed) {
          yield w.verdict(AlarmState.ALARM, real, List.of(w.part(breaching, k, false)), needed);
        }
        yield w.verdict(AlarmState.OK, real, List.of(w.part(fine, k, true)), k - needed + 1);
      }
    };
  }

  private static Verdict allMissing(Window w, MissingData missing, int n) {
    return switch (missing) {
      case missing ->
          new Verdict(
              AlarmState.INSUFFICIENT_DATA,
              "Insufficient Data: "
                  + Texts.count(n, "datapoint")
                  + " "
                  + Texts.wasWere(n)
                  + " unknown.",
              w.reasonData(List.of()));
      case ignore -> Verdict.KEEP;
      case breaching, notBreaching ->
          new Verdict(
              missing == MissingData.breaching ? AlarmState.ALARM : AlarmState.OK,
              "Threshold Crossed: no datapoints were received for "
                  + Texts.count(n, "period")
                  + " and "
                  + filledPart(n, missing)
                  + ".",
              w.reasonData(List.of()));
    };
  }

  private static String filledPart(int filled, MissingData missing) {
    return Texts.count(filled, "missing datapoint")
        + " "
        + Texts.wasWere(filled)
        + " treated as ["
        + missing.treatedAs()
        + "]";
  }

  /** One evaluation's fixed inputs, and the texts built from them. */
  private record Window(
      AlarmDefinition def, Comparison comparison, double threshold, long now, long newestSlot) {

    List<Datapoint> breaching(List<Datapoint> points, boolean wanted) {
      return points.stream()
          .filter(d -> comparison.breaches(d.value(), threshold) == wanted)
          .toList();
    }

    /** {@code 1 out of the last 1 datapoints [v (t)] was greater than the threshold (x)}. */
    String part(List<Datapoint> listed, int outOf, boolean negated) {
      StringBuilder s = new StringBuilder();
      s.append(listed.size()).append(" out of the last ").append(outOf).append(" datapoints [");
      for (int i = 0; i < listed.size(); i++) {
        if (i > 0) {
          s.append(", ");
        }
        Datapoint d = listed.get(i);
        s.append(Texts.number(d.value()))
            .append(" (")
            .append(Texts.reasonTime(d.timestamp()))
            .append(')');
      }
      s.append("] ")
          .append(Texts.wasWere(listed.size()))
          .append(negated ? " not " : " ")
          .append(comparison.words())
          .append(" the threshold (")
          .append(Texts.number(threshold))
          .append(')');
      return s.toString();
    }

    Verdict verdict(String value, List<Datapoint> evaluated, List<String> parts, int minimum) {
      String transition = AlarmState.ALARM.equals(value) ? "OK -> ALARM" : "ALARM -> OK";
      String reason =
          "Threshold Crossed: "
              + String.join(" and ", parts)
              + " (minimum "
              + Texts.count(minimum, "datapoint")
              + " for "
              + transition
              + " transition).";
      return new Verdict(value, reason, reasonData(evaluated));
    }

    /** StateReasonData: CloudWatch's fields, datapoints oldest first in recentDatapoints. */
    String reasonData(List<Datapoint> evaluated) {
      long period = def.period() * 1000L;
      long start = newestSlot - (def.evaluationPeriods() - 1) * period;
      for (Datapoint d : evaluated) {
        start = Math.min(start, d.timestamp());
      }
      ObjectNode data = Json.MAPPER.createObjectNode();
      data.put("version", "1.0");
      data.put("queryDate", Texts.reasonDataTime(now));
      data.put("startDate", Texts.reasonDataTime(start));
      if (def.unit() != null) {
        data.put("unit", def.unit());
      }
      if (!def.isMath()) {
        data.put("statistic", def.statisticName());
      }
      data.put("period", def.period());
      ArrayNode recent = data.putArray("recentDatapoints");
      List<Datapoint> oldestFirst =
          evaluated.stream().sorted(Comparator.comparingLong(Datapoint::timestamp)).toList();
      oldestFirst.forEach(d -> recent.add(d.value()));
      data.put("threshold", threshold);
      ArrayNode points = data.putArray("evaluatedDatapoints");
      for (Datapoint d : evaluated) {
        ObjectNode point = points.addObject();
        point.put("timestamp", Texts.reasonDataTime(d.timestamp()));
        if (!def.isMath()) {
          point.put("sampleCount", d.sampleCount()); // an expression's value has no sample count
        }
        point.put("value", d.value());
      }
      return Json.toString(data);
    }
  }
}
