package dev.portico.alarm.streams;

import dev.portico.alarm.eval.CompositeEvaluator;
import dev.portico.alarm.eval.MathAlarm;
import dev.portico.alarm.eval.MetricEvaluator;
import dev.portico.alarm.eval.Rollup;
import dev.portico.alarm.eval.RuleParser;
import dev.portico.alarm.eval.RuleSyntaxException;
import dev.portico.alarm.eval.Verdict;
import dev.portico.alarm.model.Datapoint;
import dev.portico.alarm.model.InputPoint;
import dev.portico.alarm.model.PartialPeriod;
import dev.portico.alarm.model.StoredAlarm;
import dev.portico.contracts.MetricDatapoint;
import dev.portico.contracts.Topics;
import dev.portico.contracts.alarms.AlarmCommand;
import dev.portico.contracts.alarms.AlarmDefinition;
import dev.portico.contracts.alarms.AlarmState;
import dev.portico.contracts.alarms.ChildState;
import dev.portico.contracts.alarms.MetricQuery;
import dev.portico.contracts.alarms.Signal;
import io.micrometer.core.instrument.Counter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alarms of one partition: applies API commands, evaluates alarms on final datapoints and on
 * the clock, and emits each transition's records. Store writes and every record it forwards (view,
 * state change, history, signal, notifications) commit in one Kafka transaction, so a restart or a
 * failover neither loses a transition nor repeats one.
 *
 * <p>Evaluation position: each period is evaluated once, when its final datapoint arrives or, when
 * none came (or, for a rolled-up period, not all of its sub-periods had data), once the clock says
 * its data is final ({@link DatapointDeadline}: period end + the tier's grace + margin). A late
 * datapoint for an already evaluated period is kept and re-evaluates the current window.
 */
final class AlarmProcessor implements Processor<String, byte[], String, Object> {
  private static final Logger LOG = LoggerFactory.getLogger(AlarmProcessor.class);

  private final TopicNames topics;
  private final EvaluationSettings settings;
  private ProcessorContext<String, Object> context;
  private final EvaluationSchedule schedule;
  private KeyValueStore<String, StoredAlarm> alarms;
  private AlarmIndex index;
  private AlarmEmitter emit;

  AlarmProcessor(TopicNames topics, EvaluationSettings settings) {
    this.topics = topics;
    this.settings = settings;
    this.schedule = new EvaluationSchedule(settings.deadline());
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    emit = new AlarmEmitter(context, settings.clock());
    alarms = context.getStateStore(AlarmTopology.ALARMS_STORE);
    index =
        new AlarmIndex(
            context.getStateStore(AlarmTopology.METRIC_INDEX),
            context.getStateStore(AlarmTopology.COMPOSITE_INDEX));
    context.schedule(settings.tick(), PunctuationType.WALL_CLOCK_TIME, t -> tick());
  }

  @Override
  public void process(Record<String, byte[]> record) {
    String topic = context.recordMetadata().map(m -> m.topic()).orElse("");
    try {
      if (topic.equals(topics.commands())) {
        command(
            record.key(),
            Topics.ALARM_COMMANDS.decode(record.key(), record.value()),
            record.headers());
      } else {
        signal(Topics.ALARM_SIGNALS.decode(record.key(), record.value()));
      }
    } catch (RuntimeException unreadable) {
      // A record we cannot read would otherwise stop the partition for good.
      LOG.error("Skipping an unreadable record on {}: {}", topic, unreadable.toString());
    }
  }

  // --- commands

  private void command(String name, AlarmCommand command, Headers headers) {
    long now = settings.clock().millis();
    StoredAlarm stored = alarms.get(name);
    switch (command.type()) {
      case AlarmCommand.PUT -> put(name, command, stored, headers, now);
      case AlarmCommand.DELETE -> {
        if (stored == null) {
          notFound(name, headers);
        } else {
          delete(stored, headers, now);
        }
      }
      case AlarmCommand.SET_STATE -> {
        if (stored == null) {
          notFound(name, headers);
        } else {
          setState(stored, command.state(), headers, now);
        }
      }
      case AlarmCommand.ENABLE_ACTIONS, AlarmCommand.DISABLE_ACTIONS -> {
        if (stored == null) {
          notFound(name, headers);
        } else {
          boolean enabled = command.type().equals(AlarmCommand.ENABLE_ACTIONS);
          StoredAlarm changed = stored.with(stored.definition().withActionsEnabled(enabled));
          save(changed);
          emit.history(AlarmOutputs.actionsToggled(changed.definition(), enabled, now));
          emit.view(changed, EventHeaders.answering(Topics.ALARMS, headers));
        }
      }
      default -> LOG.error("Unknown alarm command {}", command.type());
    }
  }

  private void put(
      String name, AlarmCommand command, StoredAlarm existing, Headers headers, long now) {
    AlarmDefinition def = command.definition();
    StoredAlarm stored;
    if (existing == null) {
      stored =
          new StoredAlarm(
              def,
              AlarmState.initial(now),
              List.of(),
              def.isComposite() ? 0 : schedule.dueSlot(def, now),
              def.isComposite() ? new HashMap<>(command.children()) : null);
      emit.history(AlarmOutputs.created(def, now));
    } else {
      index.remove(existing.definition());
      AlarmDefinition before = existing.definition();
      boolean sameData = !def.isComposite() && def.sameDataAs(before);
      Map<String, ChildState> children = null;
      if (def.isComposite()) {
        children = new HashMap<>(command.children());
        if (existing.children() != null) {
          existing.children().forEach(children::put);
        }
        children.keySet().retainAll(command.children().keySet());
      }
      long position =
          sameData
              ? existing.position()
              : def.isComposite() ? 0 : schedule.dueSlot(def, now) - def.period() * 1000L;
      stored =
          new StoredAlarm(
              def,
              existing.state(),
              sameData ? existing.datapoints() : List.of(),
              position,
              children,
              null,
              sameData && def.isMath() ? existing.inputs() : null);
      emit.history(AlarmOutputs.updated(before, def, now));
    }
    index.add(def);
    save(stored);
    // A new alarm is evaluated at once, within this command: the answer shows the result, and
    // whatever the API does next (SetAlarmState, say) comes after it. An update keeps the state
    // until the next evaluation, except for a composite, whose rule may have changed.
    if (def.isComposite()) {
      evaluateComposite(stored, null, now);
    } else if (existing == null) {
      evaluateMetric(stored, now);
    }
    emit.view(alarms.get(name), EventHeaders.answering(Topics.ALARMS, headers));
  }

  private void delete(StoredAlarm stored, Headers headers, long now) {
    AlarmDefinition def = stored.definition();
    index.remove(def);
    alarms.delete(def.alarmName());
    schedule.forget(def.alarmName());
    emit.history(AlarmOutputs.deleted(def, now));
    emit.gone(def.alarmName(), EventHeaders.answering(Topics.ALARMS, headers));
    emit.broadcast(def.alarmName(), new ChildState(null, now));
  }

  private void setState(StoredAlarm stored, AlarmState requested, Headers headers, long now) {
    AlarmState current = stored.state();
    boolean changes = !requested.value().equals(current.value());
    AlarmState next =
        new AlarmState(
            requested.value(),
            requested.reason(),
            requested.reasonData(),
            now,
            changes ? now : current.transitionedTimestamp(),
            true);
    if (changes) {
      transition(stored, next, EventHeaders.answering(Topics.ALARMS, headers));
    } else {
      StoredAlarm changed = stored.with(next);
      save(changed);
      emit.view(changed, EventHeaders.answering(Topics.ALARMS, headers));
    }
  }

  private void notFound(String name, Headers headers) {
    emit.gone(
        name,
        EventHeaders.failing(Topics.ALARMS, headers, 404, "Alarm \"" + name + "\" does not exist"));
  }

  // --- signals

  private void signal(Signal signal) {
    long now = settings.clock().millis();
    if (signal.datapoint() != null) {
      datapoint(signal.datapoint(), now);
    } else if (signal.alarmName() != null) {
      childChanged(signal.alarmName(), signal.alarmState(), now);
    }
  }

  private void datapoint(MetricDatapoint dp, long now) {
    for (String name : index.watching(MetricKey.of(dp))) {
      StoredAlarm stored = alarms.get(name);
      if (stored == null || stored.definition().isComposite()) {
        continue;
      }
      if (stored.definition().isMath()) {
        mathDatapoint(stored, MetricKey.of(dp), dp, now);
      } else if (dp.period() == stored.definition().period()) {
        accept(stored, dp, now);
      } else {
        rollUp(stored, dp, now);
      }
    }
  }

  /** A final datapoint of the alarm's period: keep it, move the position to it, evaluate. */
  private void accept(StoredAlarm stored, MetricDatapoint dp, long now) {
    AlarmDefinition def = stored.definition();
    OptionalDouble value = settings.statistics().of(def, dp);
    if (value.isEmpty()) {
      save(stored); // no value of this statistic (say, a percentile without a sketch): missing
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
    evaluateMetric(
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
      save(stored.withPartials(partials));
    }
  }

  // --- metric math

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
      save(stored.withPartials(partials));
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
      save(updated);
      return;
    }
    if (slot <= stored.position()) {
      evaluateMetric(updated, now);
      return;
    }
    Set<String> required = MathAlarm.required(def);
    long present =
        inputs.stream().filter(p -> p.timestamp() == slot && required.contains(p.id())).count();
    if (present >= required.size()) {
      evaluateMetric(updated.withPosition(slot), now);
    } else {
      save(updated);
    }
  }

  /**
   * Rolled-up periods whose data is final though their last sub-periods never came (those seconds
   * or minutes had no data): complete them with what they have.
   */
  private StoredAlarm completeOverdue(StoredAlarm stored, long now) {
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

  private void childChanged(String child, ChildState state, long now) {
    for (String composite : index.naming(child)) {
      StoredAlarm stored = alarms.get(composite);
      if (stored == null || stored.children() == null) {
        continue;
      }
      Map<String, ChildState> children = new HashMap<>(stored.children());
      ChildState known = children.get(child);
      if (known != null
          && known.value() != null
          && state.value() != null
          && known.timestamp() > state.timestamp()) {
        continue; // an older transition, overtaken by one the composite already knows
      }
      children.put(child, state);
      evaluateComposite(
          new StoredAlarm(stored.definition(), stored.state(), List.of(), 0, children), child, now);
    }
  }

  // --- the clock

  private void tick() {
    long now = settings.clock().millis();
    for (String name : schedule.due(now, this::all)) {
      StoredAlarm stored = alarms.get(name);
      if (stored == null) {
        schedule.forget(name);
        continue;
      }
      stored = completeOverdue(stored, now);
      long slot = schedule.dueSlot(stored.definition(), now);
      if (slot > stored.position()) {
        evaluateMetric(stored.withPosition(slot), now);
      } else {
        schedule.update(stored);
      }
    }
  }

  private List<StoredAlarm> all() {
    List<StoredAlarm> all = new ArrayList<>();
    try (KeyValueIterator<String, StoredAlarm> it = alarms.all()) {
      it.forEachRemaining(e -> all.add(e.value));
    }
    return all;
  }

  // --- evaluation and transitions

  private void evaluateMetric(StoredAlarm stored, long now) {
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

  private void evaluateComposite(StoredAlarm stored, String trigger, long now) {
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

  private void transition(StoredAlarm stored, AlarmState next, Headers viewHeaders) {
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

  // --- stores and outputs

  private void save(StoredAlarm stored) {
    alarms.put(stored.definition().alarmName(), stored);
    schedule.update(stored);
  }
}
