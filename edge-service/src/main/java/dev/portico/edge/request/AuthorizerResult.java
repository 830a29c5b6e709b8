package dev.portico.edge.request;

import java.util.Map;

/**
 * What an authorizer function established about a request it allowed: the principal it named and
 * the context it returned (strings, numbers and booleans by key). The context reaches the
 * integration in {@code requestContext.authorizer} and is what {@code $context.authorizer.NAME}
 * refers to.
 *
 * @param principalId the caller as the function named it, or {@code null}
 * @param context never {@code null}
 * @param caller the identity sources' values: who is asking, for the response cache's key
 */
public record AuthorizerResult(String principalId, Map<String, Object> context, String caller) {
  public AuthorizerResult {
    context = Map.copyOf(context);
  }

  /** A value of the context, or {@code principalId}; {@code null} when there is none. */
  public Object get(String name) {
    return name.equals("principalId") && !context.containsKey(name)
        ? principalId
        : context.get(name);
  }
}
