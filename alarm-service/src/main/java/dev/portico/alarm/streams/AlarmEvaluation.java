package dev.portico.alarm.streams;

import dev.portico.alarm.eval.CompositeEvaluator;
import dev.portico.alarm.eval.MathAlarm;
import dev.portico.alarm.eval.MetricEvaluator;
import dev.portico.alarm.eval.RuleParser;
import dev.portico.alarm.eval.RuleSyntaxException;
import dev.portico.alarm.eval.Verdict;
import dev.portico.alarm.model.StoredAlarm;
import dev.portico.contracts.Topics;
import dev.portico.contracts.alarms.AlarmDefinition;
import dev.portico.contracts.alarms.AlarmState;
import dev.portico.contracts.alarms.ChildState;
import io.micrometer.core.instrument.Counter;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates an alarm and writes the outcome: the stored alarm (and its place in the evaluation
 * schedule) and, on a transition, every record it causes (view, history, state change, the
 * composites' signal, notifications). Part of {@link AlarmProcessor}, on its stream thread.
 */
final class AlarmEvaluation {
  private static final Logger LOG = LoggerFactory.getLogger(AlarmProcessor.class);

  private final KeyValueStore<String, StoredAlarm> alarms;
  private final EvaluationSchedule schedule;
  private final AlarmEmitter emit;
  private final EvaluationSettings settings;

  AlarmEvaluation(
      KeyValueStore<String, StoredAlarm> alarms,
      EvaluationSchedule schedule,
      AlarmEmitter emit,
      EvaluationSettings settings) {
    this.alarms = alarms;
    this.schedule = schedule;
    this.emit = emit;
    this.settings = settings;
  }

  void evaluateMetric(StoredAlarm stored, long now) {
    if (stored.definition().isMath()) {
      // The expression's values are recomputed from the inputs over the whole range: RATE and
      // FILL(REPEAT) depend on neighbouring periods.
      stored =
          stored.withDatapoints(
              MathAlarm.datapoints(stored.definition(), stored.inputs(), stored.position()));
    }
    Verdict verdict =
        MetricEvaluator.evaluate(stored.definition(), stored.datapoints(), stored.position(), now);
    decide(stored, verdict, now);
  }

  void evaluateComposite(StoredAlarm stored, String trigger, long now) {
    Verdict verdict;
    try {
      verdict =
          CompositeEvaluator.evaluate(
              RuleParser.parse(stored.definition().alarmRule()), stored.children(), trigger, now);
    } catch (RuleSyntaxException e) {
      LOG.error(
          "Stored rule of {} does not parse: {}", stored.definition().alarmName(), e.getMessage());
      return;
    }
    decide(stored, verdict, now);
  }

  private void decide(StoredAlarm stored, Verdict verdict, long now) {
    AlarmState current = stored.state();
    if (verdict.keep() || verdict.value().equals(current.value())) {
      // No transition. An evaluation ends a state set by SetAlarmState, even when it agrees.
      AlarmState kept =
          current.setByApi() && !verdict.keep()
              ? new AlarmState(
                  current.value(),
                  current.reason(),
                  current.reasonData(),
                  current.timestamp(),
                  current.transitionedTimestamp(),
                  false)
              : current;
      save(stored.with(kept));
      return;
    }
    AlarmState next =
        new AlarmState(verdict.value(), verdict.reason(), verdict.reasonData(), now, now, false);
    transition(stored, next, EventHeaders.of(Topics.ALARMS));
  }

  void transition(StoredAlarm stored, AlarmState next, Headers viewHeaders) {
    AlarmDefinition def = stored.definition();
    AlarmState previous = stored.state();
    StoredAlarm changed = stored.with(next);
    save(changed);
    emit.view(changed, viewHeaders);
    emit.history(AlarmOutputs.stateUpdate(def, previous, next));
    emit.stateChange(def, previous, next);
    emit.broadcast(def.alarmName(), new ChildState(next.value(), next.transitionedTimestamp()));
    AlarmOutputs.notifications(settings.alarmMessages(), def, previous, next)
        .forEach(emit::publish);
    Counter.builder("portico_alarm_transitions_total")
        .description("Alarm state transitions, by the new state")
        .tag("state", next.value())
        .register(settings.registry())
        .increment();
  }

  void save(StoredAlarm stored) {
    alarms.put(stored.definition().alarmName(), stored);
    schedule.update(stored);
  }
}
