package dev.portico.metrics.query;

import dev.portico.contracts.Json;
import dev.portico.metrics.aggregation.Tier;
import dev.portico.metrics.ingest.FunctionMetrics;
import dev.portico.metrics.ingest.GatewayMetrics;
import dev.portico.metrics.model.MetricId;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Answers queries with several replicas: a metric's periods are read from the replica that owns its
 * partition (this one, or another over HTTP, {@code /metrics/internal/periods}), and the metric
 * index is the union of every replica's ({@code /metrics/internal/index}). The partition of a
 * metric is that of its input key: the API name for gateway metrics, the function name for function
 * metrics, {@code namespace/metric name} for custom ones. Replicas find each other through Kafka
 * Streams' metadata ({@code application.server} = each replica's advertised host and HTTP port).
 */
public final class RoutingMetricReader implements MetricReader {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final LocalMetricReader local;
  private final Supplier<KafkaStreams> streams;
  private final Supplier<HostInfo> self;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public RoutingMetricReader(
      LocalMetricReader local, Supplier<KafkaStreams> streams, Supplier<HostInfo> self) {
    this.local = local;
    this.streams = streams;
    this.self = self;
  }

  @Override
  public List<Period> periods(MetricId metric, Tier tier, long from, long to) {
    String key = partitionKey(metric);
    if (key == null) {
      return List.of(); // a gateway metric without ApiName does not exist
    }
    KeyQueryMetadata owner =
        streams
            .get()
            .queryMetadataForKey(
                LocalMetricReader.storesOf(metric).tier(tier), key, new StringSerializer());
    if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
      throw new InvalidStateStoreException("no replica owns " + key + " right now");
    }
    if (owner.activeHost().equals(self.get())) {
      return local.periods(metric, tier, from, to);
    }
    String query =
        "/metrics/internal/periods?"
            + metricQuery(metric)
            + "&tier="
            + tier.seconds()
            + "&from="
            + from
            + "&to="
            + to;
    return get(owner.activeHost(), query, ReplicaWire.Periods.class).decode();
  }

  @Override
  public List<Seen> metrics() {
    List<Seen> seen = new ArrayList<>(local.metrics());
    for (StreamsMetadata replica : streams.get().metadataForAllStreamsClients()) {
      if (!replica.hostInfo().equals(self.get())) {
        seen.addAll(
            get(replica.hostInfo(), "/metrics/internal/index", ReplicaWire.Index.class).decode());
      }
    }
    return seen;
  }

  static String partitionKey(MetricId metric) {
    return switch (metric.namespace()) {
      case GatewayMetrics.NAMESPACE -> metric.dimensions().get(GatewayMetrics.API_NAME);
      case FunctionMetrics.NAMESPACE -> metric.dimensions().get(FunctionMetrics.FUNCTION_NAME);
      default -> metric.namespace() + "/" + metric.metricName();
    };
  }

  private <T> T get(HostInfo host, String pathAndQuery, Class<T> type) {
    URI uri = URI.create("http://" + host.host() + ":" + host.port() + pathAndQuery);
    try {
      HttpResponse<byte[]> response =
          http.send(
              HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new InvalidStateStoreException(
            "replica " + host + " answered " + response.statusCode() + " for " + pathAndQuery);
      }
      return Json.fromBytes(response.body(), type);
    } catch (IOException e) {
      throw new InvalidStateStoreException("replica " + host + " unreachable: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InvalidStateStoreException("interrupted");
    }
  }

  /** Query parameters naming one metric, as {@link ReplicaQuery} reads them. */
  private static String metricQuery(MetricId metric) {
    StringBuilder query =
        new StringBuilder("namespace=")
            .append(encode(metric.namespace()))
            .append("&metricName=")
            .append(encode(metric.metricName()));
    metric
        .dimensions()
        .forEach((name, value) -> query.append("&dimension=").append(encode(name + "=" + value)));
    return query.toString();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
