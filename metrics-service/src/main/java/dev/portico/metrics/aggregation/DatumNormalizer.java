package dev.portico.metrics.aggregation;

import dev.portico.contracts.MetricDatum;
import dev.portico.metrics.ingest.CustomMetrics;
import dev.portico.metrics.ingest.DatumRules;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first step of custom metrics from Kafka: drops datums that break PutMetricData's limits (any
 * producer may write the topic), gives a datum without a timestamp its record's timestamp, and keys
 * it by {@code namespace/metric name}, so that the repartition after it brings every datum of one
 * metric to one task whatever key its producer chose; otherwise one metric's period could be
 * aggregated, and emitted, by two tasks.
 */
final class DatumNormalizer implements Processor<String, MetricDatum, String, MetricDatum> {
  private static final Logger LOG = LoggerFactory.getLogger(DatumNormalizer.class);

  private final Clock clock;
  private final AggregationCounters counters;
  private ProcessorContext<String, MetricDatum> context;

  DatumNormalizer(Clock clock, AggregationCounters counters) {
    this.clock = clock;
    this.counters = counters;
  }

  @Override
  public void init(ProcessorContext<String, MetricDatum> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, MetricDatum> record) {
    MetricDatum datum = record.value();
    List<String> problems = DatumRules.problems(datum, "datum", clock.millis());
    if (!problems.isEmpty()) {
      counters.invalid();
      LOG.debug("Dropped an invalid custom datum (key {}): {}", record.key(), problems);
      return;
    }
    MetricDatum complete = CustomMetrics.complete(datum, datum.namespace(), record.timestamp());
    context.forward(record.withKey(CustomMetrics.partitionKey(complete)).withValue(complete));
  }
}
