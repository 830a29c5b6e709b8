package dev.portico.edge.api;

import java.time.Duration;
import java.util.Map;

/**
 * What a route does with a request: publish it to a Kafka function, proxy it to an HTTP backend, or
 * answer a fixed mock. Targets may hold {@code ${stageVariables.name}}; {@link #resolve} fills them
 * in for one stage.
 */
public sealed interface Integration permits Integration.Kafka, Integration.Http, Integration.Mock {

  /** The integration type as written in {@code x-portico-integration.type}. */
  String type();

  /** The integration's target as shown in logs (a topic, a URL). */
  String target();

  /** This integration with the stage's variables substituted into its target. */
  Integration resolve(Map<String, String> stageVariables);

  /** Whether the edge waits for the function's response event or answers 202 once it is sent. */
  enum Mode {
    SYNC,
    ASYNC
  }

  /**
   * The shape of the request event, as API Gateway's {@code payloadFormatVersion}: 2.0 ({@code
   * FunctionRequest}), or 1.0 ({@code FunctionRequestV1}) for functions written for a REST API.
   */
  enum PayloadFormat {
    V1_0("1.0"),
    V2_0("2.0");

    private final String version;

    PayloadFormat(String version) {
      this.version = version;
    }

    public String version() {
      return version;
    }

    /** The format of a {@code payloadFormatVersion} value, or {@code null} for another value. */
    public static PayloadFormat of(String version) {
      for (PayloadFormat f : values()) {
        if (f.version.equals(version)) {
          return f;
        }
      }
      return null;
    }
  }

  /**
   * The function protocol: publish a request event to {@code topic}, keyed by {@code key}; in sync
   * mode wait up to {@code timeout} for the response event.
   *
   * @param key a selection expression such as {@code $request.path.id}; {@code null} = no key
   */
  record Kafka(String topic, String key, Mode mode, Duration timeout, PayloadFormat payloadFormat)
      implements Integration {
    @Override
    public String type() {
      return "kafka";
    }

    @Override
    public String target() {
      return topic;
    }

    @Override
    public Integration resolve(Map<String, String> stageVariables) {
      return new Kafka(
          StageVariables.substitute(topic, stageVariables), key, mode, timeout, payloadFormat);
    }
  }

  /**
   * A proxy to an HTTP backend. {@code uri} may name path parameters ({@code {id}}, {@code
   * {proxy}}), filled in per request.
   *
   * @param method the backend method, or {@code null} for the request's own
   */
  record Http(String uri, String method, Duration timeout) implements Integration {
    @Override
    public String type() {
      return "http";
    }

    @Override
    public String target() {
      return uri;
    }

    @Override
    public Integration resolve(Map<String, String> stageVariables) {
      return new Http(StageVariables.substitute(uri, stageVariables), method, timeout);
    }
  }

  /** A static answer. */
  record Mock(int statusCode, Map<String, String> headers, String body) implements Integration {
    @Override
    public String type() {
      return "mock";
    }

    @Override
    public String target() {
      return "mock";
    }

    @Override
    public Integration resolve(Map<String, String> stageVariables) {
      return new Mock(statusCode, headers, StageVariables.substitute(body, stageVariables));
    }
  }
}
