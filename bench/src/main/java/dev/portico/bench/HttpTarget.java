package dev.portico.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeUnit;

/** How the client talks to the server under load: HTTP/1.1, keep-alive, no pipelining. */
public record HttpTarget(int connections) {

  // Generous: the drain deadline of a run, not this timeout, decides when a request is given up.
  private static final long IDLE_TIMEOUT_MILLIS = TimeUnit.SECONDS.toMillis(30);

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
  Future<Integer> send(HttpClient client, BenchRequest spec) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(spec.method())
            .setAbsoluteURI(spec.uri())
            .setIdleTimeout(IDLE_TIMEOUT_MILLIS);
    if (spec.body() != null) {
      options.putHeader("content-type", "application/json");
    }
    spec.headers().forEach(options::putHeader);
    return client
        .request(options)
        .compose(request -> spec.body() == null ? request.send() : request.send(spec.body()))
        .compose(response -> response.body().map(ignored -> response.statusCode()));
  }
}
