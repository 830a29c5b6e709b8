package dev.portico.edge.admin;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Requires {@code Authorization: Bearer <admin token>}. Compares SHA-256 digests with {@link
 * MessageDigest#isEqual}, so the time taken says nothing about the token, not even its length.
 * Missing or wrong token: 401 with {@code WWW-Authenticate: Bearer}.
 */
final class AdminAuth implements Handler<RoutingContext> {
  private final byte[] expected;

  AdminAuth(String token) {
    this.expected = sha256(token);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("authorization");
    String presented =
        header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
            ? header.substring(7).trim()
            : null;
    if (presented != null && MessageDigest.isEqual(expected, sha256(presented))) {
      ctx.next();
      return;
    }
    ctx.response()
        .setStatusCode(401)
        .putHeader("www-authenticate", "Bearer realm=\"portico-admin\"")
        .putHeader("content-type", "application/json")
        .end(
            new JsonObject()
                .put(
                    "message",
                    presented == null
                        ? "Unauthorized: send Authorization: Bearer <admin token>"
                        : "Unauthorized: wrong admin token")
                .encode());
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
