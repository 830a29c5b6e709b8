package dev.portico.edge.api;

import dev.portico.edge.validation.RequestValidator;
import java.util.List;

/**
 * What an operation asks of the gateway besides its integration, from its OpenAPI {@code security},
 * parameters and request body and the {@code x-portico-*} extensions.
 *
 * @param apiKeyRequired the operation's security requirement names an {@code apiKey} scheme
 * @param authorizer the JWT authorizer (a security scheme name) it requires, or {@code null}
 * @param scopes scopes the token must all carry
 * @param validator the request validator when {@code x-portico-validate} is on, else {@code null}
 * @param cacheKeyParameters request parameters that are part of the cache key, as {@code
 *     querystring.X} or {@code header.X}
 */
public record RouteOptions(
    boolean apiKeyRequired,
    String authorizer,
    List<String> scopes,
    RequestValidator validator,
    List<String> cacheKeyParameters) {
  public static final RouteOptions NONE = new RouteOptions(false, null, List.of(), null, List.of());

  public RouteOptions {
    scopes = List.copyOf(scopes);
    cacheKeyParameters = List.copyOf(cacheKeyParameters);
  }
}
