package dev.portico.edge.api;

import java.time.Duration;
import java.util.List;

/**
 * An authorizer function, declared as a security scheme with {@code x-portico-authorizer: {type:
 * function}} (or imported from API Gateway's REQUEST authorizer): the function's topic, the
 * identity sources whose values it is given and its verdict is cached by, how long a verdict is
 * cached, and how long the edge waits for one.
 *
 * @param resultTtl 0 = every request asks the function
 */
public record FunctionAuthorizer(
    String name,
    String topic,
    List<IdentitySource> identitySources,
    Duration resultTtl,
    Duration timeout) {
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(300);
  public static final Duration MAX_TTL = Duration.ofSeconds(3_600);

  /** API Gateway's: an HTTP API waits 10 s for a Lambda authorizer. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  public FunctionAuthorizer {
    identitySources = List.copyOf(identitySources);
  }
}
