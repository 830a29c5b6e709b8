package dev.portico.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.Map;
import java.util.function.LongFunction;

/** The request sequences the scenarios send; request n is built on the event loop, so cheaply. */
final class Workloads {
  private Workloads() {}

  /** {@code POST} of a new customer per request (distinct ids per run). */
  static LongFunction<BenchRequest> puts(String url, CustomerBodies bodies) {
    return puts(url, bodies, Map.of());
  }

  /** {@code POST} of a new customer per request (distinct ids per run), with extra headers. */
  static LongFunction<BenchRequest> puts(
      String url, CustomerBodies bodies, Map<String, String> headers) {
    return n -> new BenchRequest(HttpMethod.POST, url, headers, Buffer.buffer(bodies.json(n)));
  }

  /** A plain {@code GET} of {@code url} with extra headers, the same every time. */
  static LongFunction<BenchRequest> gets(String url, Map<String, String> headers) {
    BenchRequest get = new BenchRequest(HttpMethod.GET, url, headers, null);
    return n -> get;
  }

  /** {@code PUT} of {@code items} fixed customers, round robin: fills the table for the others. */
  static LongFunction<BenchRequest> fill(String baseUrl, int items) {
    return n ->
        new BenchRequest(
            HttpMethod.PUT,
            baseUrl + "/customer/" + item(n, items),
            Map.of(),
            Buffer.buffer(
                "{\"customer_name\":\"KilDong\",\"product_name\":\"laptop\",\"price\":990000}"));
  }

  /** A conditional update of an existing customer: add 1 to a counter if the item exists. */
  static LongFunction<BenchRequest> conditionalUpdates(String baseUrl, int items) {
    Buffer body = Buffer.buffer("{\"add\":{\"visits\":1}}");
    Map<String, String> headers =
        Map.of(
            "x-condition",
            "attribute_exists(customer_id) AND price > 0",
            "x-return-values",
            "UPDATED_NEW");
    return n ->
        new BenchRequest(HttpMethod.PATCH, baseUrl + "/customer/" + item(n, items), headers, body);
  }

  /** A strongly consistent read of an existing customer. */
  static LongFunction<BenchRequest> reads(String baseUrl, int items) {
    return n ->
        new BenchRequest(HttpMethod.GET, baseUrl + "/customer/" + item(n, items), Map.of(), null);
  }

  private static String item(long n, int items) {
    return "bench-item-" + (n % items);
  }
}
