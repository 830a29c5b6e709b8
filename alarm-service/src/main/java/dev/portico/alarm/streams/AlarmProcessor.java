package dev.portico.alarm.streams;

import dev.portico.alarm.model.StoredAlarm;
import dev.portico.contracts.MetricDatapoint;
import dev.portico.contracts.Topics;
import dev.portico.contracts.alarms.AlarmCommand;
import dev.portico.contracts.alarms.AlarmDefinition;
import dev.portico.contracts.alarms.AlarmState;
import dev.portico.contracts.alarms.ChildState;
import dev.portico.contracts.alarms.Signal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 *
 * <p>This class routes inputs (commands, signals, the clock); {@link MetricInputs} places
 * datapoints in an alarm's window and {@link AlarmEvaluation} evaluates and writes transitions.
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
  private AlarmEvaluation evaluation;
  private MetricInputs inputs;

  AlarmProcessor(TopicNames topics, EvaluationSettings settings) {
    this.topics = topics;
    this.settings = settings;
    this.schedule = new EvaluationSchedule(settings.deadline());
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    emit = new AlarmEmitter(context);
    alarms = context.getStateStore(AlarmTopology.ALARMS_STORE);
    index =
        new AlarmIndex(
            context.getStateStore(AlarmTopology.METRIC_INDEX),
            context.getStateStore(AlarmTopology.COMPOSITE_INDEX));
    evaluation = new AlarmEvaluation(alarms, schedule, emit, settings);
    inputs = new MetricInputs(alarms, settings, evaluation);
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
          evaluation.save(changed);
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
    evaluation.save(stored);
    // A new alarm is evaluated at once, within this command: the answer shows the result, and
    // whatever the API does next (SetAlarmState, say) comes after it. An update keeps the state
    // until the next evaluation, except for a composite, whose rule may have changed.
    if (def.isComposite()) {
      evaluation.evaluateComposite(stored, null, now);
    } else if (existing == null) {
      evaluation.evaluateMetric(stored, now);
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
      evaluation.transition(stored, next, EventHeaders.answering(Topics.ALARMS, headers));
    } else {
      StoredAlarm changed = stored.with(next);
      evaluation.save(changed);
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
      if (stored != null && !stored.definition().isComposite()) {
        inputs.add(stored, dp, now);
      }
    }
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
      evaluation.evaluateComposite(
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
      stored = inputs.completeOverdue(stored, now);
      long slot = schedule.dueSlot(stored.definition(), now);
      if (slot > stored.position()) {
        evaluation.evaluateMetric(stored.withPosition(slot), now);
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
}
