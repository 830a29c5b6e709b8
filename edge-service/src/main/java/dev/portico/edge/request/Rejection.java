package dev.portico.edge.request;

import java.util.List;
import java.util.Map;

/**
 * A request the gateway refuses before (or instead of) its integration: the status, the JSON {@code
 * message}, the {@code x-portico-error-type}, extra response headers (e.g. {@code Retry-After})
 * and, for validation, the list of violations.
 */
public final class Rejection extends RuntimeException {
  private final int status;
  private final String type;
  private final Map<String, String> headers;
  private final List<String> violations;

  public Rejection(
      int status,
      String message,
      String type,
      Map<String, String> headers,
      List<String> violations) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.headers = Map.copyOf(headers);
    this.violations = List.copyOf(violations);
  }

  public static Rejection of(GatewayError error) {
    return new Rejection(error.status(), error.message(), error.type(), Map.of(), List.of());
  }

  public static Rejection of(GatewayError error, Map<String, String> headers) {
    return new Rejection(error.status(), error.message(), error.type(), headers, List.of());
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public Map<String, String> headers() {
    return headers;
  }

  public List<String> violations() {
    return violations;
  }
}
