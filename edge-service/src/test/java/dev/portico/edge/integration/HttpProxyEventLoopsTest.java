package dev.portico.edge.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.edge.api.Integration;
import dev.portico.edge.routing.RouteMatch;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The http integration's connection pool, as the data plane's event loops share it. */
class HttpProxyEventLoopsTest {
  private static final int LOOPS = 2;
  private static final int POOL = 4;

  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(LOOPS + 1));
  private final HttpProxy proxy = new HttpProxy(vertx, POOL, 1_000, LOOPS, 1 << 20, List.of());

  /** Backend connection (the proxy's local port) -> the front loops whose requests it carried. */
  private final Map<Integer, Set<String>> loopsByConnection = new ConcurrentHashMap<>();

  /** The front servers' ports, one server per loop (each loop adds its own). */
  private final List<Integer> fronts = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    proxy.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void shouldCarryEachLoopsRequestsOnThatLoopsOwnConnectionsWithinItsShareOfThePool()
      throws Exception {
    int backend = startBackend();
    startFronts(backend);
    HttpClient client =
        vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(16).setMaxWaitQueueSize(-1));
    List<Future<Integer>> answers = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      int port = fronts.get(i % fronts.size());
      answers.add(
          client
              .request(HttpMethod.GET, port, "127.0.0.1", "/")
              .compose(request -> request.send())
              .map(response -> response.statusCode()));
    }
    List<Integer> statuses = Future.all(answers).await(30, TimeUnit.SECONDS).list();
    assertTrue(statuses.stream().allMatch(s -> s == 200), "every request proxied: " + statuses);

    Set<String> loops = new HashSet<>();
    loopsByConnection.values().forEach(loops::addAll);
    assertEquals(LOOPS, loops.size(), "both front loops proxied requests: " + loopsByConnection);
    loopsByConnection.forEach(
        (connection, carried) ->
            assertEquals(
                1,
                carried.size(),
                "backend connection " + connection + " carried requests of " + carried));
    assertTrue(
        loopsByConnection.size() <= POOL,
        "at most " + POOL + " backend connections in all: " + loopsByConnection.keySet());
  }

  @Test
  void shouldShareThePoolOutAmongTheLoopsGivingEachAtLeastOne() {
    assertEquals(32, HttpProxy.share(64, 2));
    assertEquals(22, HttpProxy.share(64, 3));
    assertEquals(1, HttpProxy.share(1, 4));
  }

  /** Answers 200, noting which connection carried which front loop's request. */
  private int startBackend() throws Exception {
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(
                request -> {
                  loopsByConnection
                      .computeIfAbsent(
                          request.remoteAddress().port(), port -> ConcurrentHashMap.newKeySet())
                      .add(request.getHeader("x-portico-request-id"));
                  // A little later, so that requests overlap and the pool opens several
                  // connections.
                  vertx.setTimer(2, id -> request.response().end("ok"));
                })
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
    return server.actualPort();
  }

  /** One front server per event loop, proxying with its loop's name as the request id. */
  private void startFronts(int backend) throws Exception {
    Integration.Http http =
        new Integration.Http("http://127.0.0.1:" + backend + "/", null, Duration.ofSeconds(10));
    vertx
        .deployVerticle(
            () ->
                new VerticleBase() {
                  @Override
                  public Future<?> start() {
                    return vertx
                        .createHttpServer()
                        .requestHandler(
                            request -> {
                              request.pause();
                              proxy.proxy(
                                  request,
                                  http,
                                  new RouteMatch(null, Map.of()),
                                  Thread.currentThread().getName(),
                                  null,
                                  null);
                            })
                        .listen(0, "127.0.0.1")
                        .onSuccess(server -> fronts.add(server.actualPort()));
                  }
                },
            new DeploymentOptions().setInstances(LOOPS))
        .await(10, TimeUnit.SECONDS);
  }
}
