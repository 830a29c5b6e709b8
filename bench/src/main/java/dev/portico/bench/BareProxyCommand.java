package dev.portico.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The ceiling of the http route on the JVM: a bare Vert.x reverse proxy with nothing else in it (no
 * routing, no protection chain, no access log, no request events), two event loops each with its
 * own pool of kept-alive backend connections, as the edge has. It relays the status, the headers
 * and the body; what it does not do is what the gateway adds.
 */
@Command(
    name = "bare-proxy",
    mixinStandardHelpOptions = true,
    description =
        "Proxy every request on 127.0.0.1:PORT to a backend until the process is stopped.")
final class BareProxyCommand implements Callable<Integer> {
  private static final int INSTANCES = 2;

  @Option(
      names = "--port",
      defaultValue = "18084",
      description = "Port to listen on (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--backend-port",
      defaultValue = "18081",
      description = "The backend's port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
  int backendPort;

  @Option(
      names = "--pool",
      defaultValue = "64",
      description =
          "Backend connections in all, shared out among the loops (default: ${DEFAULT-VALUE}).")
  int pool;

  @Override
  public Integer call() throws InterruptedException {
    Vertx vertx =
        Vertx.vertx(
            new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(INSTANCES));
    Bench.await(
        vertx.deployVerticle(
            () -> new Relay(port, backendPort, Math.max(1, pool / INSTANCES)),
            new DeploymentOptions().setInstances(INSTANCES)));
    System.out.println(
        "bare-proxy listening on 127.0.0.1:" + port + " -> 127.0.0.1:" + backendPort);
    System.out.flush();
    Thread.currentThread().join(); // serves until SIGTERM
    return 0;
  }

  /** One event loop: its server, and its client whose connections live on the same loop. */
  private static final class Relay extends VerticleBase {
    private final int port;
    private final int backendPort;
    private final int connections;

    Relay(int port, int backendPort, int connections) {
      this.port = port;
      this.backendPort = backendPort;
      this.connections = connections;
    }

    @Override
    public Future<?> start() {
      HttpClientAgent client =
          vertx.createHttpClient(
              new HttpClientOptions().setKeepAlive(true),
              new PoolOptions().setHttp1MaxSize(connections));
      return vertx
          .createHttpServer()
          .requestHandler(
              request -> {
                request.pause(); // the body streams once the backend connection is there
                client
                    .request(
                        new RequestOptions()
                            .setMethod(request.method())
                            .setHost("127.0.0.1")
                            .setPort(backendPort)
                            .setURI(request.uri()))
                    .compose(
                        backend -> {
                          backend.headers().setAll(request.headers());
                          return backend.send(request);
                        })
                    .onSuccess(
                        answer -> {
                          var response = request.response().setStatusCode(answer.statusCode());
                          response.headers().setAll(answer.headers());
                          response.send(answer);
                        })
                    .onFailure(e -> request.response().setStatusCode(502).end(e.toString()));
              })
          .listen(port, "127.0.0.1");
    }
  }
}
