package dev.portico.edge.guards;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.portico.edge.api.AuthorizerSettings;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Nimbus JWT processor per authorizer setting (shared by deployments with the same settings, so
 * a JWKS cache survives redeployments). The key source fixes the algorithms: HMAC only with a
 * configured secret, RSA/EC only with public keys, never {@code none}, which rules out algorithm
 * confusion. JWKS: keys cached for 5 minutes, refetched early on an unknown {@code kid}, at most
 * one refetch per 30 s (Nimbus's rate limiter), served stale for an hour while the URL is down.
 */
final class JwtVerifiers {
  static final Set<JWSAlgorithm> ASYMMETRIC =
      Set.of(
          JWSAlgorithm.RS256,
          JWSAlgorithm.RS384,
          JWSAlgorithm.RS512,
          JWSAlgorithm.PS256,
          JWSAlgorithm.PS384,
          JWSAlgorithm.PS512,
          JWSAlgorithm.ES256,
          JWSAlgorithm.ES384,
          JWSAlgorithm.ES512);
  static final Set<JWSAlgorithm> HMAC =
      Set.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512);

  private final Map<AuthorizerSettings, ConfigurableJWTProcessor<SecurityContext>> processors =
      new ConcurrentHashMap<>();

  ConfigurableJWTProcessor<SecurityContext> processor(AuthorizerSettings settings) {
    return processors.computeIfAbsent(settings, JwtVerifiers::build);
  }

  private static ConfigurableJWTProcessor<SecurityContext> build(AuthorizerSettings s) {
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    JWKSource<SecurityContext> keys;
    Set<JWSAlgorithm> algorithms;
    try {
      if (s.secret() != null) {
        keys = new ImmutableSecret<>(s.secret().getBytes(StandardCharsets.UTF_8));
        algorithms = HMAC;
      } else if (s.publicKeyPem() != null) {
        keys = new ImmutableJWKSet<>(new JWKSet(JWK.parseFromPEMEncodedObjects(s.publicKeyPem())));
        algorithms = ASYMMETRIC;
      } else {
        keys =
            JWKSourceBuilder.create(URI.create(s.jwksUri()).toURL())
                .cache(5 * 60_000L, 15_000L)
                .rateLimited(30_000L)
                .outageTolerant(60 * 60_000L)
                .build();
        algorithms = ASYMMETRIC;
      }
    } catch (JOSEException | MalformedURLException | IllegalArgumentException e) {
      throw new IllegalStateException("authorizer " + s.name() + ": " + e.getMessage(), e);
    }
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
    DefaultJWTClaimsVerifier<SecurityContext> claims =
        new DefaultJWTClaimsVerifier<>(
            s.audience().isEmpty() ? null : new HashSet<>(s.audience()),
            new JWTClaimsSet.Builder().issuer(s.issuer()).build(),
            Set.of("exp", "iss"),
            null);
    claims.setMaxClockSkew((int) s.leeway().toSeconds());
    processor.setJWTClaimsSetVerifier(claims);
    return processor;
  }
}
