package dev.portico.edge.api;

import java.time.Duration;
import java.util.List;

/**
 * A JWT authorizer, declared as a security scheme with {@code x-portico-authorizer}: the issuer and
 * audiences a token must name, and where its signing keys come from (a JWKS URL, an HMAC secret, or
 * a PEM public key).
 */
public record AuthorizerSettings(
    String name,
    String issuer,
    List<String> audience,
    String jwksUri,
    String secret,
    String publicKeyPem,
    Duration leeway) {
  public AuthorizerSettings {
    audience = List.copyOf(audience);
  }
}
