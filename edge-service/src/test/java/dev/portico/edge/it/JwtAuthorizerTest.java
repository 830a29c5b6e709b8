package dev.portico.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The JWT authorizer against a real JWKS endpoint, and the claims it hands to a function. */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("integration")
class JwtAuthorizerTest {
  static final String ISSUER = "https://issuer.test/";
  Edge edge;
  TestFunction function;
  final Vertx jwksVertx = Vertx.vertx();
  final AtomicReference<JWKSet> published = new AtomicReference<>();
  final AtomicInteger jwksFetches = new AtomicInteger();
  RSAKey key1;
  RSAKey key2;

  @BeforeAll
  void start(TestKafka kafka) throws Exception {
    key1 = new RSAKeyGenerator(2048).keyID("k1").generate();
    key2 = new RSAKeyGenerator(2048).keyID("k2").generate();
    published.set(new JWKSet(key1.toPublicJWK()));
    HttpServer jwks =
        jwksVertx
            .createHttpServer()
            .requestHandler(
                req -> {
                  jwksFetches.incrementAndGet();
                  req.response()
                      .putHeader("content-type", "application/json")
                      .end(published.get().toString());
                })
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
    String prefix = kafka.freshPrefix();
    try (var admin =
        org.apache.kafka.clients.admin.Admin.create(
            Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(new org.apache.kafka.clients.admin.NewTopic(prefix + "fn.who", 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    // The function answers with the authorizer context it was given.
    function =
        new TestFunction(
            kafka.bootstrapServers(),
            List.of(prefix + "fn.who"),
            r -> {
              String body = new String(r.value(), StandardCharsets.UTF_8);
              String authorizer =
                  dev.portico.contracts.Json.fromBytes(
                          r.value(), dev.portico.contracts.FunctionRequest.class)
                      .requestContext()
                      .authorizer()
                      .toString();
              return dev.portico.contracts.Json.toBytes(
                  new dev.portico.contracts.FunctionResponse(200, Map.of(), authorizer, false));
            });
    edge = new Edge(kafka, prefix).start();
    new Admin(edge)
        .importApi(
            "secure",
            """
            openapi: 3.0.3
            info: {title: secure}
            components:
              securitySchemes:
                jwt:
                  type: http
                  scheme: bearer
                  x-portico-authorizer:
                    issuer: "%s"
                    audience: [orders-api]
                    jwksUri: "http://127.0.0.1:%d/jwks.json"
                    leewaySeconds: 5
                hmac:
                  type: http
                  scheme: bearer
                  x-portico-authorizer:
                    issuer: "%s"
                    secret: "a-shared-secret-of-at-least-32-characters!"
            paths:
              /who:
                get:
                  security: [{jwt: [orders:read]}]
                  x-portico-integration: {type: kafka, topic: "${portico.topicPrefix}fn.who", timeoutMs: 5000}
              /mac:
                get:
                  security: [{hmac: []}]
                  x-portico-integration: {type: mock, body: mac}
            """
                .formatted(ISSUER, jwks.actualPort(), ISSUER));
    new Admin(edge).deploy("secure", "secure");
  }

  @AfterAll
  void stop() throws Exception {
    edge.close();
    function.close();
    jwksVertx.close().await(10, TimeUnit.SECONDS);
  }

  static JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject("user-7")
        .audience("orders-api")
        .claim("scope", "orders:read profile")
        .expirationTime(new Date(System.currentTimeMillis() + 60_000));
  }

  static String sign(RSAKey key, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(key.getKeyID())
                .type(JOSEObjectType.JWT)
                .build(),
            claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  HttpResponse<String> who(String token) {
    return token == null
        ? edge.get("/secure/who")
        : edge.request("GET", "/secure/who", null, "authorization", "Bearer " + token);
  }

  @Test
  void shouldPassAValidTokensClaimsToTheFunction() throws Exception {
    HttpResponse<String> ok = who(sign(key1, claims().build()));
    assertEquals(200, ok.statusCode(), ok.body());
    assertTrue(ok.body().contains("sub=user-7"), ok.body());
    assertTrue(ok.body().contains("iss=" + ISSUER), ok.body());
  }

  @Test
  void shouldAnswer401WithoutAToken() {
    HttpResponse<String> none = who(null);
    assertEquals(401, none.statusCode());
    assertEquals("{\"message\":\"Unauthorized\"}", none.body());
    assertEquals("Bearer", none.headers().firstValue("www-authenticate").orElse(null));
  }

  @Test
  void shouldAnswer403ForEveryBadToken() throws Exception {
    long past = System.currentTimeMillis() - 3_600_000;
    RSAKey stranger = new RSAKeyGenerator(2048).keyID("k1").generate();
    Map<String, String> bad =
        Map.of(
            "expired", sign(key1, claims().expirationTime(new Date(past)).build()),
            "wrong audience", sign(key1, claims().audience("other-api").build()),
            "wrong issuer", sign(key1, claims().issuer("https://evil.test/").build()),
            "missing scope", sign(key1, claims().claim("scope", "profile").build()),
            "wrong key", sign(stranger, claims().build()),
            "alg none", new PlainJWT(claims().build()).serialize(),
            "garbage", "not.a.jwt");
    for (Map.Entry<String, String> token : bad.entrySet()) {
      HttpResponse<String> response = who(token.getValue());
      assertEquals(403, response.statusCode(), token.getKey());
      assertEquals("{\"message\":\"Forbidden\"}", response.body(), token.getKey());
    }
    // Algorithm confusion: an HS256 token keyed with the RSA public key must not pass.
    SignedJWT confused =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), claims().build());
    confused.sign(new MACSigner(key1.toPublicJWK().toRSAPublicKey().getEncoded()));
    assertEquals(403, who(confused.serialize()).statusCode(), "HS256 with the public key");
  }

  @Test
  void shouldPickUpARotatedKeyAndNotHammerTheJwksEndpoint() throws Exception {
    assertEquals(200, who(sign(key1, claims().build())).statusCode());
    published.set(new JWKSet(List.of(key1.toPublicJWK(), key2.toPublicJWK())));
    HttpResponse<String> rotated = who(sign(key2, claims().build()));
    assertEquals(200, rotated.statusCode(), "unknown kid -> refetch -> accepted");
    int fetches = jwksFetches.get();
    for (int i = 0; i < 20; i++) {
      who(sign(new RSAKey.Builder(key1).keyID("unknown-" + i).build(), claims().build()));
    }
    assertTrue(
        jwksFetches.get() - fetches <= 1, "refetches are rate limited: " + jwksFetches.get());
  }

  @Test
  void shouldAcceptHmacTokensOnlyWithTheSecret() throws Exception {
    SignedJWT good =
        new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims().audience(List.of()).build());
    good.sign(
        new MACSigner(
            "a-shared-secret-of-at-least-32-characters!".getBytes(StandardCharsets.UTF_8)));
    assertEquals(
        200,
        edge.request("GET", "/secure/mac", null, "authorization", "Bearer " + good.serialize())
            .statusCode());
    SignedJWT forged = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims().build());
    forged.sign(
        new MACSigner(
            "another-secret-that-is-32-characters-long".getBytes(StandardCharsets.UTF_8)));
    assertEquals(
        403,
        edge.request("GET", "/secure/mac", null, "authorization", "Bearer " + forged.serialize())
            .statusCode());
  }
}
