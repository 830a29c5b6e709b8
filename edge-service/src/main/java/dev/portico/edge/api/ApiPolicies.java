package dev.portico.edge.api;

import dev.portico.edge.policy.CorsSettings;
import dev.portico.edge.policy.IpPolicy;
import java.util.Map;

/**
 * API-wide settings from the document root: CORS ({@code x-portico-cors}), the resource policy on
 * source addresses ({@code x-portico-ip-policy}) and the authorizers ({@code
 * components.securitySchemes} with {@code x-portico-authorizer}): JWT authorizers and authorizer
 * functions, by scheme name.
 */
public record ApiPolicies(
    CorsSettings cors,
    IpPolicy ipPolicy,
    Map<String, AuthorizerSettings> authorizers,
    Map<String, FunctionAuthorizer> functionAuthorizers) {
  public static final ApiPolicies NONE = new ApiPolicies(null, IpPolicy.OPEN, Map.of(), Map.of());

  public ApiPolicies {
    authorizers = Map.copyOf(authorizers);
    functionAuthorizers = Map.copyOf(functionAuthorizers);
  }
}
