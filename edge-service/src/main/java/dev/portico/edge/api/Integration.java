package dev.portico.edge.api;

import java.time.Duration;
import java.util.Map;

/** What a route does with a request: publish it to a Kafka function, or answer a fixed mock. */
public sealed interface Integration permits Integration.Kafka, Integration.Mock {

  /** The integration's target as shown in logs (a topic, a URL). */
  String target();

  /**
   * The function protocol: publish a request event to {@code topic}, keyed by {@code key}, and in
   * sync mode wait up to {@code timeout} for the response event.
   *
   * @param key a selection expression such as {@code $request.path.id}; {@code null} = no key
   */
  record Kafka(String topic, String key, Duration timeout) implements Integration {
    @Override
    public String target() {
      return topic;
    }
  }

  /** A static answer. */
  record Mock(int statusCode, Map<String, String> headers, String body) implements Integration {
    @Override
    public String target() {
      return "mock";
    }
  }
}
