package dev.portico.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeUnit;

/** The endpoint under load and how the client talks to it: HTTP/1.1, keep-alive, no pipelining. */
public record HttpTarget(String url, HttpMethod method, int connections) {

  // Generous: the drain deadline of a run, not this timeout, decides when a request is given up.
  private static final long IDLE_TIMEOUT_MILLIS = TimeUnit.SECONDS.toMillis(30);

  /** A POST of JSON bodies, the shape of the write path. */
  public static HttpTarget postJson(String url, int connections) {
    return new HttpTarget(url, HttpMethod.POST, connections);
  }

  /**
   * A client whose pool is capped at {@code connections}; excess requests wait in the pool queue.
   */
  HttpClient newClient(Vertx vertx) {
    HttpClientOptions options =
        new HttpClientOptions()
            .setProtocolVersion(HttpVersion.HTTP_1_1)
            .setKeepAlive(true)
            // Pipelining would hide server queueing behind a connection; one request per
            // connection.
            .setPipelining(false);
    // Unbounded wait queue (the default): an open-loop generator must never drop offered load.
    PoolOptions pool = new PoolOptions().setHttp1MaxSize(connections);
    return vertx.createHttpClient(options, pool);
  }

  /** Sends one request and completes with the status once the whole response body has arrived. */
  Future<Integer> send(HttpClient client, Buffer body) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(method)
            .setAbsoluteURI(url)
            .setIdleTimeout(IDLE_TIMEOUT_MILLIS)
            .putHeader("content-type", "application/json");
    return client
        .request(options)
        .compose(request -> request.send(body))
        .compose(response -> response.body().map(ignored -> response.statusCode()));
  }
}
