package dev.portico.edge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.portico.edge.request.GatewayError;
import dev.portico.edge.request.GatewayException;
import dev.portico.edge.request.Rejection;
import dev.portico.edge.request.Step;
import dev.portico.edge.steps.ChainServer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The chain runner: steps in order until one answers or refuses; refusals answered as JSON. */
class GatewayHandlerTest {
  @Test
  void shouldRunTheStepsInOrderWhileEachHandsTheRequestOn() {
    StringBuilder order = new StringBuilder();
    try (ChainServer chain =
        ChainServer.start(
            ex -> {
              order.append('a');
              return Step.NEXT;
            },
            ex -> {
              // Hands on later, from another turn of the event loop, as a JWT check does.
              Promise<Integer> later = Promise.promise();
              Vertx.currentContext().runOnContext(v -> later.complete(null));
              order.append('b');
              return later.future();
            },
            ex -> {
              order.append('c');
              return Step.NEXT;
            })) {
      HttpResponse<String> r = chain.get("/s/x");
      assertEquals(200, r.statusCode());
      assertEquals("abc", order.toString());
      assertEquals(1, chain.probed());
      assertNotNull(r.headers().firstValue("x-portico-request-id").orElse(null));
    }
  }

  @Test
  void shouldEndTheChainAtTheStepThatAnswers() {
    AtomicInteger after = new AtomicInteger();
    try (ChainServer chain =
        ChainServer.start(
            ex -> {
              ex.request().response().setStatusCode(204).end();
              return Future.succeededFuture(204);
            },
            ex -> {
              after.incrementAndGet();
              return Step.NEXT;
            })) {
      assertEquals(204, chain.get("/s/x").statusCode());
      assertEquals(0, after.get());
      assertEquals(0, chain.probed());
    }
  }

  @Test
  void shouldAnswerARejectionAsItSays() {
    Rejection rejection =
        new Rejection(
            429,
            "Too Many Requests",
            "ThrottledException",
            Map.of("retry-after", "3"),
            List.of("one", "two"));
    try (ChainServer chain = ChainServer.start(ex -> Future.failedFuture(rejection))) {
      HttpResponse<String> r = chain.get("/s/x");
      assertEquals(429, r.statusCode());
      assertEquals("3", r.headers().firstValue("retry-after").orElseThrow());
      assertEquals("ThrottledException", r.headers().firstValue("x-portico-error-type").get());
      assertEquals("application/json", r.headers().firstValue("content-type").get());
      assertEquals(
          "{\"message\":\"Too Many Requests\",\"violations\":[\"one\",\"two\"]}", r.body());
      assertEquals(0, chain.probed());
    }
  }

  @Test
  void shouldAnswerAGatewayErrorWithItsStatusAndMessage() {
    try (ChainServer chain =
        ChainServer.start(
            ex ->
                Future.failedFuture(
                    new GatewayException(GatewayError.NOT_FOUND, "detail for the log only")))) {
      HttpResponse<String> r = chain.get("/s/x");
      assertEquals(404, r.statusCode());
      assertEquals("NotFoundException", r.headers().firstValue("x-portico-error-type").get());
      assertEquals("{\"message\":\"Not Found\"}", r.body());
    }
  }

  @Test
  void shouldAnswerABugWith500() {
    try (ChainServer chain =
        ChainServer.start(
            ex -> {
              throw new IllegalStateException("a bug");
            })) {
      HttpResponse<String> r = chain.get("/s/x");
      assertEquals(500, r.statusCode());
      assertEquals("{\"message\":\"Internal server error\"}", r.body());
      assertEquals(0, chain.probed());
    }
  }
}
