package dev.portico.edge.guards;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.portico.contracts.edge.StageSettings;
import dev.portico.edge.steps.ChainServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

/** With an HMAC secret (JWKS fetching and key rotation: JwtAuthorizerTest). */
class JwtGuardTest {
  static final String SECRET = "a-shared-secret-of-at-least-32-characters!";
  static final String ISSUER = "https://issuer.test/";
  static final String API =
      """
      openapi: 3.0.3
      info: {title: t, version: "1"}
      components:
        securitySchemes:
          hmac:
            type: http
            scheme: bearer
            x-portico-authorizer: {issuer: "%s", secret: "%s"}
      paths:
        /read:
          get:
            security: [{hmac: [orders:read]}]
            x-portico-integration: {type: mock}
        /open:
          get:
            x-portico-integration: {type: mock}
      """
          .formatted(ISSUER, SECRET);

  ChainServer start() {
    Vertx vertx = Vertx.vertx();
    return ChainServer.routed(
        vertx, ChainServer.serving(API, StageSettings.NONE), new JwtGuard(vertx));
  }

  static String token(String issuer, String scope) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader(JWSAlgorithm.HS256),
            new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject("ada")
                .claim("scope", scope)
                .expirationTime(Date.from(Instant.now().plusSeconds(300)))
                .build());
    jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }

  @Test
  void shouldHandTheClaimsOfAnAcceptedTokenOn() throws Exception {
    try (ChainServer chain = start()) {
      HttpResponse<String> r =
          chain.get("/s/read", "authorization", "Bearer " + token(ISSUER, "orders:read"));
      assertEquals(200, r.statusCode());
      JsonObject claims = ChainServer.json(r).getJsonObject("claims");
      assertEquals("ada", claims.getString("sub"));
    }
  }

  @Test
  void shouldAskForATokenWith401AndRefuseABadOneWith403() throws Exception {
    try (ChainServer chain = start()) {
      HttpResponse<String> none = chain.get("/s/read");
      assertEquals(401, none.statusCode());
      assertEquals("Bearer", none.headers().firstValue("www-authenticate").orElseThrow());
      assertEquals("{\"message\":\"Unauthorized\"}", none.body());
      for (String token :
          List.of(token("https://other.test/", "orders:read"), token(ISSUER, "orders:write"))) {
        HttpResponse<String> refused = chain.get("/s/read", "authorization", "Bearer " + token);
        assertEquals(403, refused.statusCode());
        assertEquals("{\"message\":\"Forbidden\"}", refused.body());
      }
      assertEquals(0, chain.probed());
      assertEquals(200, chain.get("/s/open").statusCode());
    }
  }
}
