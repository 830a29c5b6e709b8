package dev.portico.metrics.aggregation;

import dev.portico.contracts.JsonSerde;
import dev.portico.contracts.MetricDatapoint;
import dev.portico.contracts.MetricDatum;
import dev.portico.contracts.RequestEvent;
import dev.portico.metrics.ingest.CustomMetrics;
import dev.portico.metrics.ingest.FunctionCall;
import dev.portico.metrics.ingest.FunctionMetrics;
import dev.portico.metrics.ingest.FunctionRollup;
import dev.portico.metrics.ingest.GatewayMetrics;
import dev.portico.metrics.ingest.GatewayRollup;
import dev.portico.metrics.ingest.RequestEventDecoder;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * Three pipelines into the datapoints topic:
 *
 * <pre>
 * gateway requests (keyed by api) ------------------------------> aggregator [gateway-*] --> datapoints
 *        +--> function calls, key by function --> repartition --> aggregator [function-*] --> datapoints
 * custom datums --> validate, key by namespace/name --> repartition --> aggregator [custom-*] --> datapoints
 * </pre>
 *
 * Gateway events need no repartition: they are keyed by API, and every metric of an API is
 * aggregated (and rolled up across its stages and routes) by the task of that API's partition. A
 * function may serve several APIs, so its calls are re-keyed by function name: all of them meet in
 * one task, which alone emits the function's datapoints. A pure function of its settings, so
 * TopologyTestDriver runs it without a broker.
 */
public final class MetricsTopology {
  public static final MetricStores GATEWAY_STORES = new MetricStores("gateway");
  public static final MetricStores CUSTOM_STORES = new MetricStores("custom");
  public static final MetricStores FUNCTION_STORES = new MetricStores("function");

  private MetricsTopology() {}

  public static Topology build(
      String gatewayTopic,
      String customTopic,
      String datapointsTopic,
      AggregationSettings settings,
      AggregationCounters gatewayCounters,
      AggregationCounters customCounters,
      AggregationCounters functionCounters) {
    StreamsBuilder builder = new StreamsBuilder();
    var datapoints = Produced.with(Serdes.String(), new JsonSerde<>(MetricDatapoint.class));
    var datums = new JsonSerde<>(MetricDatum.class);

    GATEWAY_STORES.addTo(builder, settings.retention());
    KStream<String, RequestEvent> requests =
        builder.stream(
            gatewayTopic,
            Consumed.with(
                    Serdes.String(),
                    Serdes.serdeFrom(
                        new JsonSerde<>(RequestEvent.class), new RequestEventDecoder()))
                .withName("gateway-requests"));
    requests
        .process(
            () ->
                new WindowAggregator<RequestEvent>(
                    new GatewayMetrics(settings.gatewayHighResolution())::samples,
                    GatewayRollup::coarserCells,
                    settings,
                    GATEWAY_STORES,
                    gatewayCounters),
            Named.as("gateway-aggregator"),
            GATEWAY_STORES.names())
        .to(datapointsTopic, datapoints.withName("gateway-datapoints"));

    FUNCTION_STORES.addTo(builder, settings.retention());
    var calls = new JsonSerde<>(FunctionCall.class);
    requests
        .flatMap(
            (api, event) -> {
              FunctionCall call = FunctionCall.of(event);
              return call == null ? List.of() : List.of(KeyValue.pair(call.function(), call));
            },
            Named.as("function-calls"))
        .repartition(Repartitioned.with(Serdes.String(), calls).withName("function-by-name"))
        .process(
            () ->
                new WindowAggregator<FunctionCall>(
                    new FunctionMetrics(settings.gatewayHighResolution())::samples,
                    FunctionRollup::coarserCells,
                    settings,
                    FUNCTION_STORES,
                    functionCounters),
            Named.as("function-aggregator"),
            FUNCTION_STORES.names())
        .to(datapointsTopic, datapoints.withName("function-datapoints"));

    CUSTOM_STORES.addTo(builder, settings.retention());
    builder.stream(customTopic, Consumed.with(Serdes.String(), datums).withName("custom-datums"))
        .process(
            () -> new DatumNormalizer(settings.clock(), customCounters),
            Named.as("custom-validate"))
        .repartition(Repartitioned.with(Serdes.String(), datums).withName("custom-by-metric"))
        .process(
            () ->
                new WindowAggregator<MetricDatum>(
                    datum -> Optional.of(CustomMetrics.samples(datum)),
                    cell -> List.of(),
                    settings,
                    CUSTOM_STORES,
                    customCounters),
            Named.as("custom-aggregator"),
            CUSTOM_STORES.names())
        .to(datapointsTopic, datapoints.withName("custom-datapoints"));
    return builder.build();
  }
}
