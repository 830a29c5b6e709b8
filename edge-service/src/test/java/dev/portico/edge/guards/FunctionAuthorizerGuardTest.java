package dev.portico.edge.guards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.contracts.AuthorizerRequest;
import dev.portico.contracts.FunctionResponse;
import dev.portico.contracts.RequestEvent;
import dev.portico.contracts.edge.StageSettings;
import dev.portico.edge.integration.IntegrationException;
import dev.portico.edge.request.GatewayError;
import dev.portico.edge.steps.ChainServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The authorizer-function step on a real chain, with a scripted function in place of Kafka (the
 * real function protocol is FunctionAuthorizerTest's) and a clock the test moves.
 */
class FunctionAuthorizerGuardTest {
  static final String API =
      """
      openapi: 3.0.3
      info: {title: t}
      components:
        securitySchemes:
          fn:
            type: apiKey
            in: header
            name: authorization
            x-portico-authorizer:
              type: function
              topic: fn.auth
              identitySource: [$request.header.Authorization, $request.querystring.tenant]
              resultTtlSeconds: 60
          uncached:
            type: apiKey
            in: header
            name: authorization
            x-portico-authorizer:
              type: function
              topic: fn.auth
              resultTtlSeconds: 0
      paths:
        /a:
          get:
            security: [{fn: []}]
            x-portico-integration: {type: mock}
        /b:
          get:
            security: [{fn: []}]
            x-portico-integration: {type: mock}
        /open:
          get:
            security: [{uncached: []}]
            x-portico-integration: {type: mock}
      """;

  final AtomicLong clock = new AtomicLong(1_000_000);
  final List<AuthorizerRequest> asked = new CopyOnWriteArrayList<>();
  final List<RequestEvent> calls = new CopyOnWriteArrayList<>();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  /** A chain whose authorizer function answers {@code answer} to each event. */
  ChainServer chain(Function<AuthorizerRequest, Future<FunctionResponse>> answer) {
    FunctionAuthorizerGuard guard =
        new FunctionAuthorizerGuard(
            (topic, key, event, correlationId, timeout, onLateReply) -> {
              asked.add((AuthorizerRequest) event);
              return answer.apply((AuthorizerRequest) event);
            },
            calls::add,
            registry,
            clock::get);
    return ChainServer.routed(ChainServer.serving(API, StageSettings.NONE), guard);
  }

  static Future<FunctionResponse> body(String json) {
    return Future.succeededFuture(new FunctionResponse(200, null, json, false));
  }

  static Future<FunctionResponse> allowTokenOk(AuthorizerRequest event) {
    boolean ok = event.identitySource().get(0).equals("ok");
    return body(
        "{\"isAuthorized\":"
            + ok
            + ",\"principalId\":\"u-"
            + event.identitySource().get(1)
            + "\",\"context\":{\"tenant\":\""
            + event.identitySource().get(1)
            + "\",\"tier\":2,\"admin\":false}}");
  }

  double cache(String result) {
    return registry.get("portico.edge.authorizer.cache").tag("result", result).counter().count();
  }

  @Test
  void shouldHandAnAllowingVerdictsPrincipalAndContextOnAndSendTheFunctionTheRequestsIdentity() {
    try (ChainServer chain = chain(FunctionAuthorizerGuardTest::allowTokenOk)) {
      HttpResponse<String> r = chain.get("/s/a?tenant=acme", "authorization", "ok");
      assertEquals(200, r.statusCode(), r.body());
      JsonObject seen = ChainServer.json(r);
      assertEquals("u-acme", seen.getString("principalId"));
      assertEquals(
          new JsonObject().put("tenant", "acme").put("tier", 2).put("admin", false),
          seen.getJsonObject("authorizerContext"));
      AuthorizerRequest event = asked.get(0);
      assertEquals("REQUEST", event.type());
      assertEquals(List.of("ok", "acme"), event.identitySource());
      assertEquals("GET /a", event.routeKey());
      assertEquals("arn:portico:execute-api:local:portico:t/s/GET/a", event.routeArn());
      assertEquals("ok", event.headers().get("authorization"));
      assertEquals("acme", event.queryStringParameters().get("tenant"));
    }
  }

  @Test
  void shouldAnswer403ForAVerdictThatDenies() {
    try (ChainServer chain = chain(FunctionAuthorizerGuardTest::allowTokenOk)) {
      HttpResponse<String> r = chain.get("/s/a?tenant=acme", "authorization", "bad");
      assertEquals(403, r.statusCode());
      assertEquals("{\"message\":\"Forbidden\"}", r.body());
      assertEquals(0, chain.probed());
    }
  }

  @Test
  void shouldAnswer401WithoutAskingTheFunctionWhenAnIdentitySourceIsMissingOrEmpty() {
    try (ChainServer chain = chain(FunctionAuthorizerGuardTest::allowTokenOk)) {
      for (HttpResponse<String> r :
          List.of(
              chain.get("/s/a?tenant=acme"),
              chain.get("/s/a", "authorization", "ok"),
              chain.get("/s/a?tenant=", "authorization", "ok"))) {
        assertEquals(401, r.statusCode());
        assertEquals("{\"message\":\"Unauthorized\"}", r.body());
      }
      assertTrue(asked.isEmpty());
      assertTrue(calls.isEmpty(), "no invocation, nothing for the function metrics");
      assertEquals(0, chain.probed());
    }
  }

  @Test
  void shouldServeACachedVerdictUntilItsTtlEndsThenAskAgain() {
    try (ChainServer chain = chain(FunctionAuthorizerGuardTest::allowTokenOk)) {
      assertEquals(200, chain.get("/s/a?tenant=acme", "authorization", "ok").statusCode());
      assertEquals(200, chain.get("/s/b?tenant=acme", "authorization", "ok").statusCode());
      assertEquals(403, chain.get("/s/a?tenant=acme", "authorization", "bad").statusCode());
      assertEquals(403, chain.get("/s/a?tenant=acme", "authorization", "bad").statusCode());
      assertEquals(2, asked.size(), "one call per identity, a deny cached as an allow is");
      assertEquals(2, cache("hit"));
      assertEquals(2, cache("miss"));
      assertEquals(2, calls.size(), "a cache hit is no invocation: " + calls);
      clock.addAndGet(59_999);
      assertEquals(200, chain.get("/s/a?tenant=acme", "authorization", "ok").statusCode());
      assertEquals(2, asked.size());
      clock.addAndGet(1);
      assertEquals(200, chain.get("/s/a?tenant=acme", "authorization", "ok").statusCode());
      assertEquals(3, asked.size(), "expired after 60 s");
      assertEquals(3, calls.size());
      for (RequestEvent call : calls) {
        assertEquals(RequestEvent.AUTHORIZER, call.eventType());
        assertEquals("fn.auth", call.function());
        assertEquals(RequestEvent.Outcome.OK, call.functionOutcome(), "a deny is an answer too");
        assertEquals("t", call.api());
        assertEquals("s", call.stage());
        assertTrue(call.functionDurationMs() >= 0);
        assertTrue(!call.isWebSocket());
      }
    }
  }

  @Test
  void shouldKeyTheCacheByEveryIdentitySourcesValue() {
    try (ChainServer chain = chain(FunctionAuthorizerGuardTest::allowTokenOk)) {
      HttpResponse<String> acme = chain.get("/s/a?tenant=acme", "authorization", "ok");
      HttpResponse<String> globex = chain.get("/s/a?tenant=globex", "authorization", "ok");
      assertEquals(2, asked.size(), "same token, another tenant: asked again");
      assertEquals("u-acme", ChainServer.json(acme).getString("principalId"));
      assertEquals("u-globex", ChainServer.json(globex).getString("principalId"));
      assertEquals(
          "u-globex",
          ChainServer.json(chain.get("/s/a?tenant=globex", "authorization", "ok"))
              .getString("principalId"));
      assertEquals(2, asked.size());
    }
  }

  @Test
  void shouldAskEveryTimeWhenTheTtlIsZero() {
    try (ChainServer chain = chain(e -> body("{\"isAuthorized\":true}"))) {
      for (int i = 0; i < 3; i++) {
        assertEquals(200, chain.get("/s/open").statusCode());
      }
      assertEquals(3, asked.size());
      assertEquals(List.of(), asked.get(0).identitySource());
      assertEquals(0, cache("hit") + cache("miss"));
    }
  }

  @Test
  void shouldApplyAnIamPolicyToEachRouteItsCachedVerdictIsUsedFor() {
    String policy =
        """
        {"principalId": "u1", "policyDocument": {"Version": "2012-10-17", "Statement": [
          {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": ["arn:portico:execute-api:*:*:t/s/GET/*"]},
          {"Action": ["execute-api:Invoke"], "Effect": "Deny", "Resource": "arn:portico:execute-api:*:*:t/s/GET/b"}]},
         "context": {"tenant": "acme"}}
        """;
    try (ChainServer chain = chain(e -> body(policy))) {
      HttpResponse<String> a = chain.get("/s/a?tenant=acme", "authorization", "ok");
      assertEquals(200, a.statusCode());
      assertEquals("u1", ChainServer.json(a).getString("principalId"));
      assertEquals(403, chain.get("/s/b?tenant=acme", "authorization", "ok").statusCode());
      assertEquals(1, asked.size(), "the cached policy decided for /b");
    }
  }

  @Test
  void shouldAnswer500AuthorizerConfigurationExceptionForAnAnswerItCannotUse() {
    List<Future<FunctionResponse>> answers =
        List.of(
            body("not json"),
            body("[]"),
            body("{\"principalId\":\"u\"}"),
            body("{\"isAuthorized\":\"yes\"}"),
            body("{\"isAuthorized\":true,\"context\":{\"nested\":{\"a\":1}}}"),
            body(
                "{\"policyDocument\":{\"Statement\":[{\"Effect\":\"Maybe\",\"Action\":\"*\",\"Resource\":\"*\"}]}}"),
            Future.succeededFuture(new FunctionResponse(200, null, null, false)),
            Future.succeededFuture(new FunctionResponse(500, null, "{}", false)),
            Future.failedFuture(
                new IntegrationException(GatewayError.INTEGRATION_TIMEOUT, "no response")),
            Future.failedFuture(
                new IntegrationException(
                    GatewayError.MALFORMED_INTEGRATION_RESPONSE, "malformed response event")));
    List<String> outcomes = new java.util.ArrayList<>(List.of("ERROR", "TIMEOUT", "MALFORMED"));
    outcomes.addAll(0, java.util.Collections.nCopies(7, "MALFORMED"));
    for (int i = 0; i < answers.size(); i++) {
      Future<FunctionResponse> answer = answers.get(i);
      asked.clear();
      calls.clear();
      try (ChainServer chain = chain(e -> answer)) {
        HttpResponse<String> r = chain.get("/s/a?tenant=acme", "authorization", "ok");
        assertEquals(500, r.statusCode(), answer.toString());
        assertEquals("{\"message\":\"Internal server error\"}", r.body());
        assertEquals(
            "AuthorizerConfigurationException",
            r.headers().firstValue("x-portico-error-type").orElseThrow());
        assertEquals(0, chain.probed());
        chain.get("/s/a?tenant=acme", "authorization", "ok");
        assertEquals(2, asked.size(), "a failure is not cached");
        // A 2xx without a verdict is a malformed answer for the function metrics.
        assertEquals(
            List.of(outcomes.get(i), outcomes.get(i)),
            calls.stream().map(RequestEvent::functionOutcome).toList(),
            answer.toString());
        assertEquals(
            outcomes.get(i).equals("TIMEOUT"),
            calls.get(0).functionDurationMs() == null,
            "a duration for every answer");
      }
    }
  }

  @Test
  void shouldAnswer401WhenTheFunctionAnswers401AndLeaveRoutesWithoutAnAuthorizerAlone() {
    try (ChainServer chain =
        chain(e -> Future.succeededFuture(new FunctionResponse(401, null, null, false)))) {
      HttpResponse<String> r = chain.get("/s/a?tenant=acme", "authorization", "ok");
      assertEquals(401, r.statusCode());
      assertEquals("{\"message\":\"Unauthorized\"}", r.body());
      assertEquals(
          List.of(RequestEvent.Outcome.OK),
          calls.stream().map(RequestEvent::functionOutcome).toList());
    }
    String open =
        """
        openapi: 3.0.3
        info: {title: t}
        paths:
          /x:
            get:
              x-portico-integration: {type: mock}
        """;
    try (ChainServer chain =
        ChainServer.routed(
            ChainServer.serving(open, StageSettings.NONE),
            new FunctionAuthorizerGuard(
                (t, k, e, c, d, l) -> {
                  throw new AssertionError("no authorizer to ask");
                },
                calls::add,
                registry,
                clock::get))) {
      HttpResponse<String> r = chain.get("/s/x");
      assertEquals(200, r.statusCode());
      assertNull(ChainServer.json(r).getValue("principalId"));
    }
  }
}
