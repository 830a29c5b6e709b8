package dev.portico.edge.dynamo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.edge.tls.ServerCertificate;
import dev.portico.table.api.DynamoException;
import dev.portico.table.value.InvalidValueException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DynamoDB API's HTTP side (its JSON protocol, as DynamoDB and DynamoDB Local serve it): {@code
 * POST /} with the operation in {@code X-Amz-Target}, JSON in and out, errors as {@code __type} and
 * {@code message}. When access keys are configured, every request must carry a valid Signature
 * Version 4 ({@code authenticate} answers the error otherwise); without them any credentials pass,
 * as with DynamoDB Local.
 */
public final class DynamoServer {
  private static final Logger LOG = LoggerFactory.getLogger(DynamoServer.class);

  /** Checks a request's signature: empty when it may pass. */
  @FunctionalInterface
  public interface Authenticator {
    Optional<DynamoException> check(HttpServerRequest request, Buffer body);
  }

  private final Vertx vertx;
  private final DynamoApi api;
  private final StreamsApi streams;
  private final Authenticator authenticator;
  private final int maxBodyBytes;
  private HttpServer server;

  public DynamoServer(
      Vertx vertx,
      DynamoApi api,
      StreamsApi streams,
      Authenticator authenticator,
      int maxBodyBytes) {
    this.vertx = vertx;
    this.api = api;
    this.streams = streams;
    this.authenticator = authenticator;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** Listens on {@code host:port}: HTTPS with {@code certificate}, plain HTTP when it is null. */
  public Future<HttpServer> listen(String host, int port, ServerCertificate certificate) {
    HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port);
    if (certificate != null) {
      certificate.applyTo(options);
    }
    server = vertx.createHttpServer(options);
    server.requestHandler(this::handle);
    return server.listen();
  }

  /** The listening server (to replace its certificate); null before it listens. */
  public HttpServer server() {
    return server;
  }

  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void handle(HttpServerRequest request) {
    String length = request.getHeader("content-length");
    if (length != null && parsedLength(length) > maxBodyBytes) {
      respond(request, tooLarge());
      return;
    }
    Buffer body = Buffer.buffer();
    request.handler(
        chunk -> {
          if (body.length() + chunk.length() > maxBodyBytes) {
            request.pause();
            respond(request, tooLarge());
            return;
          }
          body.appendBuffer(chunk);
        });
    request.endHandler(
        v -> {
          if (!request.response().ended()) {
            run(request, body);
          }
        });
  }

  private void run(HttpServerRequest request, Buffer body) {
    if (request.method() != HttpMethod.POST) {
      respond(request, new DynamoException("UnknownOperationException", "Only POST is served"));
      return;
    }
    Optional<DynamoException> refused = authenticator.check(request, body);
    if (refused.isPresent()) {
      respond(request, refused.get());
      return;
    }
    String target = request.getHeader("x-amz-target");
    boolean toStreams = target != null && target.startsWith(StreamsApi.TARGET_PREFIX);
    if (!toStreams && (target == null || !target.startsWith(DynamoApi.TARGET_PREFIX))) {
      respond(
          request,
          new DynamoException(
              "UnknownOperationException", "Missing or unknown X-Amz-Target: " + target));
      return;
    }
    String operation = target.substring(target.indexOf('.') + 1);
    Future<String> answer;
    try {
      answer =
          toStreams
              ? streams.handle(operation, body.toString()).map(ObjectNode::toString)
              : api.handle(operation, body.toString());
    } catch (RuntimeException e) {
      answer = Future.failedFuture(e);
    }
    answer.onComplete(
        result -> {
          if (result.succeeded()) {
            send(request, 200, result.result());
          } else {
            respond(request, asDynamo(operation, result.cause()));
          }
        });
  }

  private static DynamoException asDynamo(String operation, Throwable failure) {
    if (failure instanceof DynamoException e) {
      return e;
    }
    if (failure instanceof InvalidValueException e) {
      return new DynamoException(DynamoException.VALIDATION, e.getMessage());
    }
    LOG.error("{} failed", operation, failure);
    return new DynamoException(DynamoException.INTERNAL, "Internal server error");
  }

  private static DynamoException tooLarge() {
    return new DynamoException(
        DynamoException.VALIDATION, "Request size exceeds the maximum allowed size");
  }

  private static long parsedLength(String length) {
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static void respond(HttpServerRequest request, DynamoException error) {
    send(request, error.status(), error.body().toString());
  }

  private static void send(HttpServerRequest request, int status, String body) {
    if (request.response().ended()) {
      return;
    }
    request
        .response()
        .setStatusCode(status)
        .putHeader("content-type", DynamoException.CONTENT_TYPE)
        .putHeader("x-amzn-RequestId", UUID.randomUUID().toString())
        .end(body);
  }
}
