package dev.portico.metrics;

import dev.portico.contracts.JsonSerde;
import dev.portico.contracts.MetricDatapoint;
import dev.portico.contracts.MetricDatum;
import dev.portico.contracts.RequestEvent;
import dev.portico.metrics.aggregation.AggregationCounters;
import dev.portico.metrics.aggregation.AggregationSettings;
import dev.portico.metrics.aggregation.MetricsTopology;
import dev.portico.metrics.aggregation.Retention;
import dev.portico.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/** The metrics topology in a TopologyTestDriver, with a clock the test moves. */
final class TopologyHarness implements AutoCloseable {
  static final Duration CLOSE_INTERVAL = Duration.ofMillis(100);

  final MutableClock clock;
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final TopologyTestDriver driver;
  private final Path stateDir;
  final TestInputTopic<String, RequestEvent> gateway;
  final TestInputTopic<String, MetricDatum> custom;
  final TestOutputTopic<String, MetricDatapoint> datapoints;

  TopologyHarness(Instant start, Duration highResolutionGrace, Duration grace) {
    clock = new MutableClock(start);
    stateDir = createStateDir();
    var settings =
        new AggregationSettings(
            highResolutionGrace, grace, CLOSE_INTERVAL, false, Retention.CLOUDWATCH, clock);
    var topology =
        MetricsTopology.build(
            "gateway",
            "custom",
            "datapoints",
            settings,
            new AggregationCounters(registry, "gateway"),
            new AggregationCounters(registry, "custom"),
            new AggregationCounters(registry, "function"));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "metrics-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    // A state directory of its own: the default one under /tmp is shared by every build on the
    // machine, and RocksDB refuses a store another process holds open.
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        LogAndContinueExceptionHandler.class);
    driver = new TopologyTestDriver(topology, props, start);
    gateway =
        driver.createInputTopic(
            "gateway",
            Serdes.String().serializer(),
            new JsonSerde<>(RequestEvent.class).serializer());
    custom =
        driver.createInputTopic(
            "custom",
            Serdes.String().serializer(),
            new JsonSerde<>(MetricDatum.class).serializer());
    datapoints =
        driver.createOutputTopic(
            "datapoints",
            Serdes.String().deserializer(),
            new JsonSerde<>(MetricDatapoint.class).deserializer());
  }

  private static Path createStateDir() {
    try {
      return Files.createTempDirectory("portico-metrics-topology");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void sendGateway(RequestEvent event) {
    gateway.pipeInput(event.api(), event, clock.millis());
  }

  void sendCustom(MetricDatum datum) {
    custom.pipeInput(datum.namespace() + "/" + datum.metricName(), datum, clock.millis());
  }

  /** Moves the clock and lets the close punctuation run. */
  void advance(Duration duration) {
    clock.advance(duration);
    driver.advanceWallClockTime(CLOSE_INTERVAL);
  }

  List<MetricDatapoint> emitted() {
    return datapoints.readValuesToList();
  }

  double counter(String name, String... tags) {
    var counter = registry.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  @Override
  public void close() {
    driver.close();
    try (Stream<Path> files = Files.walk(stateDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
