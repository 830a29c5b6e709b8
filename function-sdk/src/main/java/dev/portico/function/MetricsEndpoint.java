package dev.portico.function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.ToLongFunction;

/**
 * {@code GET /metrics}: a function's {@link Counters} and handler times in Prometheus' text format
 * 0.0.4, under the same names and the same {@code function} label (the topic) as the Node.js and
 * Python SDKs. On the JDK's own HTTP server, so the SDK needs no web framework; one thread is
 * plenty for a scrape every few seconds.
 */
final class MetricsEndpoint implements AutoCloseable {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  static final String DURATION = "portico_function_handler_duration_seconds";

  private record Counter(String name, String help, ToLongFunction<Counters> value) {}

  private static final List<Counter> COUNTERS =
      List.of(
          new Counter(
              "portico_function_requests_total",
              "Request events consumed and committed.",
              Counters::requests),
          new Counter(
              "portico_function_replies_total",
              "Response events sent and committed.",
              Counters::replies),
          new Counter(
              "portico_function_records_total",
              "Records the handler sent through context.send, committed.",
              Counters::records),
          new Counter(
              "portico_function_handler_errors_total",
              "Requests answered 500 because the handler failed.",
              Counters::handlerErrors),
          new Counter(
              "portico_function_malformed_requests_total",
              "Request events that were not a request (answered 400 when a reply was wanted).",
              Counters::malformed),
          new Counter(
              "portico_function_expired_requests_total",
              "Requests skipped because their deadline had passed.",
              Counters::expired),
          new Counter(
              "portico_function_aborted_transactions_total",
              "Transactions aborted after a Kafka error; their requests were processed again.",
              Counters::abortedTransactions));

  private final HttpServer server;
  private final ExecutorService executor;

  private MetricsEndpoint(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Listens on {@code host:port} (port 0: any free port) and serves {@code totals}. */
  static MetricsEndpoint start(String host, int port, Tally totals, String topic) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot serve /metrics on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    ExecutorService executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread thread = new Thread(r, "portico-function-metrics");
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            boolean metrics =
                "GET".equals(exchange.getRequestMethod())
                    && "/metrics".equals(exchange.getRequestURI().getPath());
            if (metrics) {
              reply(exchange, 200, CONTENT_TYPE, render(totals, topic));
            } else {
              reply(exchange, 404, "application/json", "{\"message\":\"Not Found\"}");
            }
          }
        });
    server.start();
    return new MetricsEndpoint(server, executor);
  }

  int port() {
    return server.getAddress().getPort();
  }

  private static void reply(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("content-type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** The scrape: every counter, then the handler-time histogram, labelled with the topic. */
  static String render(Tally totals, String topic) {
    Counters counters = totals.snapshot();
    HandlerDurations durations = totals.durations();
    String function = "function=\"" + escape(topic) + "\"";
    StringBuilder out = new StringBuilder(2048);
    for (Counter c : COUNTERS) {
      out.append("# HELP ").append(c.name()).append(' ').append(c.help()).append('\n');
      out.append("# TYPE ").append(c.name()).append(" counter\n");
      out.append(c.name()).append('{').append(function).append("} ");
      out.append(c.value().applyAsLong(counters)).append('\n');
    }
    out.append("# HELP ")
        .append(DURATION)
        .append(" How long the handler ran per request, committed requests only.\n");
    out.append("# TYPE ").append(DURATION).append(" histogram\n");
    long[] cumulative = durations.cumulative();
    for (int i = 0; i < cumulative.length; i++) {
      String le = i < HandlerDurations.BOUNDS.length ? bound(HandlerDurations.BOUNDS[i]) : "+Inf";
      out.append(DURATION).append("_bucket{").append(function).append(",le=\"").append(le);
      out.append("\"} ").append(cumulative[i]).append('\n');
    }
    out.append(DURATION).append("_sum{").append(function).append("} ");
    out.append(durations.sum()).append('\n');
    out.append(DURATION).append("_count{").append(function).append("} ");
    out.append(durations.count()).append('\n');
    return out.toString();
  }

  /** A bucket bound as the other SDKs print it: {@code 0.001}, {@code 1}, {@code 2.5}. */
  static String bound(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
