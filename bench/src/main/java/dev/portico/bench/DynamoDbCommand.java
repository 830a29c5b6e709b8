package dev.portico.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The DynamoDB API under open-loop load: GetItem, a Query of 100 items under one partition key and
 * PutItem (on a table with a global secondary index, so each put also sends its index entry), and
 * the index's propagation delay while puts run: a probe puts an item with a new index key and polls
 * the index until a Query finds it, from the put's answer to that Query's.
 */
@Command(
    name = "dynamodb",
    mixinStandardHelpOptions = true,
    description = "DynamoDB API: GetItem, Query of 100 items, PutItem, index propagation delay.")
final class DynamoDbCommand implements Callable<Integer> {
  static final String TABLE = "BenchOrders";
  static final String TARGET = "DynamoDB_20120810.";

  @Option(names = "--url", defaultValue = "http://127.0.0.1:8000")
  String url;

  @Option(names = "--items", defaultValue = "1000", description = "Items GetItem spreads over.")
  int items;

  @Option(
      names = "--probe-interval-ms",
      defaultValue = "20",
      description = "How often the index probe writes a new item during the put runs.")
  int probeIntervalMs;

  @Mixin RateOptions rates;

  @Mixin LoadOptions options;

  private final HttpClient client = HttpClient.newHttpClient();

  @Override
  public Integer call() throws Exception {
    options.validate();
    createTable();
    try (Bench bench = new Bench()) {
      LoadOptions fill = new LoadOptions();
      fill.durationSeconds = Math.max(1, (items + 100) / 500);
      fill.warmupSeconds = 0;
      fill.connections = options.connections;
      System.out.println("filling " + items + " items and 100 under one key (scenario=fill)");
      bench.openLoop("fill", rate -> this::fill, List.of(500), fill);
      bench.openLoop("ddb-get", rate -> this::get, rates.validated(), options);
      bench.openLoop("ddb-query-100", rate -> this::query, rates.validated(), options);
      for (int rate : rates.validated()) {
        AtomicBoolean running = new AtomicBoolean(true);
        Histogram lag = new Histogram(3);
        Thread probe = new Thread(() -> probe(running, lag, rate), "index-probe");
        probe.start();
        bench.openLoop("ddb-put", r -> this::put, List.of(rate), options);
        running.set(false);
        probe.join();
        System.out.printf(
            "index propagation at %d puts/s: samples=%d p50=%.1fms p99=%.1fms max=%.1fms%n",
            rate,
            lag.getTotalCount(),
            lag.getValueAtPercentile(50) / 1000.0,
            lag.getValueAtPercentile(99) / 1000.0,
            lag.getMaxValue() / 1000.0);
      }
    }
    return 0;
  }

  private BenchRequest request(String operation, String body) {
    return new BenchRequest(
        HttpMethod.POST,
        url + "/",
        Map.of("x-amz-target", TARGET + operation, "content-type", "application/x-amz-json-1.0"),
        Buffer.buffer(body));
  }

  private BenchRequest fill(long n) {
    String customer = n % (items + 100) < 100 ? "hot" : "c-" + (n % (items + 100) - 100);
    long placed = n % (items + 100) < 100 ? n % (items + 100) : 0;
    return request("PutItem", item(customer, placed, "filled"));
  }

  private BenchRequest get(long n) {
    return request(
        "GetItem",
        "{\"TableName\":\""
            + TABLE
            + "\",\"Key\":{\"customer\":{\"S\":\"c-"
            + (n % items)
            + "\"},\"placed\":{\"N\":\"0\"}}}");
  }

  private BenchRequest query(long n) {
    return request(
        "Query",
        "{\"TableName\":\""
            + TABLE
            + "\",\"KeyConditionExpression\":\"customer = :c\","
            + "\"ExpressionAttributeValues\":{\":c\":{\"S\":\"hot\"}}}");
  }

  private BenchRequest put(long n) {
    return request("PutItem", item("put-" + System.nanoTime() + "-" + n, 0, "s" + (n % 100)));
  }

  private static String item(String customer, long placed, String status) {
    return "{\"TableName\":\""
        + TABLE
        + "\",\"Item\":{\"customer\":{\"S\":\""
        + customer
        + "\"},\"placed\":{\"N\":\""
        + placed
        + "\"},\"status\":{\"S\":\""
        + status
        + "\"},\"total\":{\"N\":\"990000\"},\"product\":{\"S\":\"laptop\"}}}";
  }

  /** Puts probe items with new index keys and times how long the index takes to show each. */
  private void probe(AtomicBoolean running, Histogram lag, int rate) {
    long n = 0;
    try {
      Thread.sleep((options.warmupSeconds) * 1000L);
      while (running.get()) {
        String key = "probe-" + rate + "-" + n++;
        if (send("PutItem", item(key, 0, key)).statusCode() != 200) {
          continue;
        }
        long written = System.nanoTime();
        String query =
            "{\"TableName\":\""
                + TABLE
                + "\",\"IndexName\":\"byStatus\",\"KeyConditionExpression\":\"#s = :s\","
                + "\"ExpressionAttributeNames\":{\"#s\":\"status\"},"
                + "\"ExpressionAttributeValues\":{\":s\":{\"S\":\""
                + key
                + "\"}},\"Select\":\"COUNT\"}";
        while (running.get() && !send("Query", query).body().contains("\"Count\":1")) {
          Thread.sleep(1);
        }
        lag.recordValue((System.nanoTime() - written) / 1000);
        Thread.sleep(probeIntervalMs);
      }
    } catch (Exception e) {
      System.out.println("index probe stopped: " + e);
    }
  }

  private HttpResponse<String> send(String operation, String body) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(url + "/"))
            .header("x-amz-target", TARGET + operation)
            .header("content-type", "application/x-amz-json-1.0")
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void createTable() throws Exception {
    String create =
        "{\"TableName\":\""
            + TABLE
            + "\",\"AttributeDefinitions\":[{\"AttributeName\":\"customer\",\"AttributeType\":\"S\"},"
            + "{\"AttributeName\":\"placed\",\"AttributeType\":\"N\"},"
            + "{\"AttributeName\":\"status\",\"AttributeType\":\"S\"}],"
            + "\"KeySchema\":[{\"AttributeName\":\"customer\",\"KeyType\":\"HASH\"},"
            + "{\"AttributeName\":\"placed\",\"KeyType\":\"RANGE\"}],"
            + "\"GlobalSecondaryIndexes\":[{\"IndexName\":\"byStatus\",\"KeySchema\":"
            + "[{\"AttributeName\":\"status\",\"KeyType\":\"HASH\"}],"
            + "\"Projection\":{\"ProjectionType\":\"KEYS_ONLY\"}}]}";
    HttpResponse<String> created = send("CreateTable", create);
    if (created.statusCode() != 200 && !created.body().contains("ResourceInUseException")) {
      throw new IllegalStateException("CreateTable failed: " + created.body());
    }
  }
}
