package dev.portico.alarm.streams;

import dev.portico.contracts.MetricDatapoint;
import dev.portico.contracts.Topics;
import dev.portico.contracts.alarms.Signal;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards every final datapoint, as a signal, to every partition of the signals topic. Datapoints
 * are keyed by metric and alarms by name, so any evaluator partition may hold an alarm on any
 * metric; datapoints are few (one per metric and period), so copying them is cheaper than keeping a
 * global index of alarms, and it keeps each alarm's datapoints in order with its own commands.
 */
final class DatapointBroadcaster implements Processor<String, byte[], String, Object> {
  private static final Logger LOG = LoggerFactory.getLogger(DatapointBroadcaster.class);
  private ProcessorContext<String, Object> context;

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, byte[]> record) {
    MetricDatapoint datapoint;
    try {
      datapoint = Topics.METRICS_DATAPOINTS.decode(record.key(), record.value());
    } catch (RuntimeException unreadable) {
      LOG.error("Skipping an unreadable datapoint: {}", unreadable.toString());
      return;
    }
    if (datapoint == null || datapoint.namespace() == null || datapoint.metricName() == null) {
      return;
    }
    context.forward(
        new Record<String, Object>(
            record.key(),
            Signal.of(datapoint),
            record.timestamp(),
            EventHeaders.of(Topics.ALARM_SIGNALS)));
  }
}
