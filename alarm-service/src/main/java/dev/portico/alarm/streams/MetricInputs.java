package dev.portico.alarm.streams;

import dev.portico.alarm.eval.MathAlarm;
import dev.portico.alarm.eval.MetricEvaluator;
import dev.portico.alarm.eval.Rollup;
import dev.portico.alarm.model.Datapoint;
import dev.portico.alarm.model.InputPoint;
import dev.portico.alarm.model.PartialPeriod;
import dev.portico.alarm.model.StoredAlarm;
import dev.portico.contracts.MetricDatapoint;
import dev.portico.contracts.alarms.AlarmDefinition;
import dev.portico.contracts.alarms.MetricQuery;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Where a final datapoint goes in a metric (or metric-math) alarm's window: a datapoint of the
 * alarm's period moves the position and is evaluated; a finer one is rolled up into its period
 * first; a metric-math alarm collects its MetricStat values per period until the expression has
 * what it needs. Part of {@link AlarmProcessor}, on its stream thread.
 */
final class MetricInputs {
  private final KeyValueStore<String, StoredAlarm> alarms;
  private final EvaluationSettings settings;
  private final AlarmEvaluation evaluation;

  MetricInputs(
      KeyValueStore<String, StoredAlarm> alarms,
      EvaluationSettings settings,
      AlarmEvaluation evaluation) {
    this.alarms = alarms;
    this.settings = settings;
    this.evaluation = evaluation;
  }

  /** A final datapoint of a metric that {@code stored} (not a composite) watches. */
  void add(StoredAlarm stored, MetricDatapoint dp, long now) {
    if (stored.definition().isMath()) {
      mathDatapoint(stored, MetricKey.of(dp), dp, now);
    } else if (dp.period() == stored.definition().period()) {
      accept(stored, dp, now);
    } else {
      rollUp(stored, dp, now);
    }
  }

  /** A final datapoint of the alarm's period: keep it, move the position to it, evaluate. */
  private void accept(StoredAlarm stored, MetricDatapoint dp, long now) {
    AlarmDefinition def = stored.definition();
    OptionalDouble value = settings.statistics().of(def, dp);
    if (value.isEmpty()) {
      evaluation.save(
          stored); // no value of this statistic (say, a percentile without a sketch): missing
      return;
    }
    long position = Math.max(stored.position(), dp.timestamp());
    long oldest = position - (MetricEvaluator.rangePeriods(def) - 1L) * def.period() * 1000L;
    List<Datapoint> points = new ArrayList<>();
    for (Datapoint d : stored.datapoints()) {
      if (d.timestamp() != dp.timestamp() && d.timestamp() >= oldest) {
        points.add(d);
      }
    }
    if (dp.timestamp() >= oldest) {
      points.add(new Datapoint(dp.timestamp(), value.getAsDouble(), dp.sampleCount()));
    }
    points.sort(Comparator.comparingLong(Datapoint::timestamp));
    evaluation.evaluateMetric(
        new StoredAlarm(
            def, stored.state(), List.copyOf(points), position, null, stored.partials()),
        now);
  }

  /**
   * A finer datapoint (the alarm's period is not one metrics-service emits): merged into its alarm
   * period, which is accepted once complete. A sub-period arriving after its alarm period was
   * evaluated is too late to count, as any late datapoint is for CloudWatch.
   */
  private void rollUp(StoredAlarm stored, MetricDatapoint dp, long now) {
    AlarmDefinition def = stored.definition();
    long period = def.period() * 1000L;
    long slot = Math.floorDiv(dp.timestamp(), period) * period;
    List<PartialPeriod> partials = new ArrayList<>();
    PartialPeriod existing = null;
    for (PartialPeriod p :
        stored.partials() == null ? List.<PartialPeriod>of() : stored.partials()) {
      if (p.timestamp() == slot) {
        existing = p;
      } else {
        partials.add(p);
      }
    }
    if (existing == null && slot <= stored.position()) {
      return;
    }
    PartialPeriod merged = Rollup.add(existing, dp, slot, settings.statistics().sketches());
    if (Rollup.complete(merged, def)) {
      accept(stored.withPartials(partials), Rollup.datapoint(merged, def), now);
    } else {
      partials.add(merged);
      partials.sort(Comparator.comparingLong(PartialPeriod::timestamp));
      evaluation.save(stored.withPartials(partials));
    }
  }

  /**
   * A final datapoint of one of a metric-math alarm's metrics ({@code key}): at the alarm's period
   * it gives its MetricStat entries their values; a finer one is rolled up first, as for any alarm.
   */
  private void mathDatapoint(StoredAlarm stored, String key, MetricDatapoint dp, long now) {
    AlarmDefinition def = stored.definition();
    if (dp.period() == def.period()) {
      mathInputs(stored, key, dp, now);
      return;
    }
    long period = def.period() * 1000L;
    long slot = Math.floorDiv(dp.timestamp(), period) * period;
    List<PartialPeriod> partials = new ArrayList<>();
    PartialPeriod existing = null;
    for (PartialPeriod p :
        stored.partials() == null ? List.<PartialPeriod>of() : stored.partials()) {
      if (p.timestamp() == slot && key.equals(p.series())) {
        existing = p;
      } else {
        partials.add(p);
      }
    }
    if (existing == null && slot <= stored.position()) {
      return;
    }
    PartialPeriod merged =
        Rollup.add(existing, dp, slot, settings.statistics().sketches()).forSeries(key);
    if (Rollup.complete(merged, def)) {
      mathInputs(stored.withPartials(partials), key, Rollup.datapoint(merged, def), now);
    } else {
      partials.add(merged);
      partials.sort(Comparator.comparingLong(PartialPeriod::timestamp));
      evaluation.save(stored.withPartials(partials));
    }
  }

  /**
   * The values of the MetricStat entries reading metric {@code key} for the period of {@code dp}.
   * Once every entry the expression needs has its value for a period newer than the position, the
   * period is evaluated (moving the position there); a value for an already evaluated period
   * re-evaluates the current window, as a late datapoint does for any alarm.
   */
  private void mathInputs(StoredAlarm stored, String key, MetricDatapoint dp, long now) {
    AlarmDefinition def = stored.definition();
    long period = def.period() * 1000L;
    long slot = dp.timestamp();
    List<InputPoint> inputs = new ArrayList<>();
    long keepFrom = Math.max(stored.position(), slot) - MetricEvaluator.rangePeriods(def) * period;
    for (InputPoint p : stored.inputs() == null ? List.<InputPoint>of() : stored.inputs()) {
      if (p.timestamp() >= keepFrom) {
        inputs.add(p);
      }
    }
    boolean changed = false;
    for (MetricQuery query : def.metrics()) {
      if (query.isExpression() || !MetricKey.of(query, def.period()).equals(key)) {
        continue;
      }
      OptionalDouble value = settings.statistics().of(query.stat(), dp);
      if (value.isPresent() && slot >= keepFrom) {
        inputs.removeIf(p -> p.id().equals(query.id()) && p.timestamp() == slot);
        inputs.add(new InputPoint(query.id(), slot, value.getAsDouble()));
        changed = true;
      }
    }
    inputs.sort(Comparator.comparingLong(InputPoint::timestamp));
    StoredAlarm updated = stored.withInputs(inputs);
    if (!changed) {
      evaluation.save(updated);
      return;
    }
    if (slot <= stored.position()) {
      evaluation.evaluateMetric(updated, now);
      return;
    }
    Set<String> required = MathAlarm.required(def);
    long present =
        inputs.stream().filter(p -> p.timestamp() == slot && required.contains(p.id())).count();
    if (present >= required.size()) {
      evaluation.evaluateMetric(updated.withPosition(slot), now);
    } else {
      evaluation.save(updated);
    }
  }

  /**
   * Rolled-up periods whose data is final though their last sub-periods never came (those seconds
   * or minutes had no data): complete them with what they have.
   */
  StoredAlarm completeOverdue(StoredAlarm stored, long now) {
    if (stored.partials() == null) {
      return stored;
    }
    AlarmDefinition def = stored.definition();
    for (PartialPeriod p : stored.partials()) {
      if (settings.deadline().finalAt(def, p.timestamp()) <= now) {
        StoredAlarm current = alarms.get(def.alarmName());
        List<PartialPeriod> rest = new ArrayList<>(current.partials());
        rest.removeIf(
            other ->
                other.timestamp() == p.timestamp()
                    && java.util.Objects.equals(other.series(), p.series()));
        if (def.isMath()) {
          mathInputs(current.withPartials(rest), p.series(), Rollup.datapoint(p, def), now);
        } else {
          accept(current.withPartials(rest), Rollup.datapoint(p, def), now);
        }
      }
    }
    return alarms.get(def.alarmName());
  }
}
