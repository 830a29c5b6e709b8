package dev.portico.edge.tls;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a renewed certificate without a restart: every {@link #CHECK_EVERY} it reads both files
 * (Vert.x's asynchronous file system, never blocking an event loop) and compares their contents
 * with the pair being served. Contents, not modification times: a Kubernetes Secret is swapped
 * through symbolic links and {@code cp -p} keeps the old time. A changed pair is checked off the
 * event loop ({@link ServerCertificate#parse}) and then handed to every server: new connections get
 * it, open ones keep theirs. A pair that fails the check (a certificate copied before its key, say)
 * is logged once and the old one stays until the files hold a usable pair.
 */
public final class CertificateReloader {
  public static final Duration CHECK_EVERY = Duration.ofSeconds(1);
  private static final Logger LOG = LoggerFactory.getLogger(CertificateReloader.class);

  private final Vertx vertx;
  private final ServerTls tls;
  private final Supplier<List<HttpServer>> servers;
  private volatile ServerCertificate serving;
  private volatile byte[][] refused;
  private final java.util.concurrent.atomic.AtomicInteger refusals =
      new java.util.concurrent.atomic.AtomicInteger();
  private boolean checking;
  private long timer = -1;

  /**
   * @param serving the pair the servers were started with
   * @param servers the HTTPS servers to update, asked on every change
   */
  public CertificateReloader(
      Vertx vertx, ServerTls tls, ServerCertificate serving, Supplier<List<HttpServer>> servers) {
    this.vertx = vertx;
    this.tls = tls;
    this.serving = serving;
    this.servers = servers;
  }

  public void start() {
    LOG.info(
        "HTTPS with {} ({}); the files are checked for changes every {} s",
        tls.certificateFile(),
        serving.describe(),
        CHECK_EVERY.toSeconds());
    timer = vertx.setPeriodic(CHECK_EVERY.toMillis(), id -> check());
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** How many changed pairs were refused (kept the old one) so far. */
  public int refusals() {
    return refusals.get();
  }

  /** The pair served now. */
  public ServerCertificate serving() {
    return serving;
  }

  private void check() {
    if (checking) {
      return;
    }
    checking = true;
    Future<Buffer> chain = vertx.fileSystem().readFile(tls.certificateFile().toString());
    Future<Buffer> key = vertx.fileSystem().readFile(tls.keyFile().toString());
    Future.all(chain, key)
        .compose(
            read -> {
              byte[] chainBytes = chain.result().getBytes();
              byte[] keyBytes = key.result().getBytes();
              if (serving.sameAs(chainBytes, keyBytes) || wasRefused(chainBytes, keyBytes)) {
                return Future.succeededFuture();
              }
              return vertx.executeBlocking(() -> parse(chainBytes, keyBytes)).compose(this::serve);
            },
            failed -> {
              // A file missing or unreadable for a moment (being replaced): try again later.
              LOG.debug("Cannot read the HTTPS certificate files yet: {}", failed.toString());
              return Future.succeededFuture();
            })
        .onComplete(done -> checking = false);
  }

  private ServerCertificate parse(byte[] chain, byte[] key) {
    try {
      return ServerCertificate.parse(tls, chain, key);
    } catch (RuntimeException e) {
      refused = new byte[][] {chain, key};
      refusals.incrementAndGet();
      LOG.warn(
          "Not reloading the HTTPS certificate, still serving {}: {}",
          serving.describe(),
          e.getMessage());
      throw e;
    }
  }

  private Future<Void> serve(ServerCertificate renewed) {
    return Future.all(
            servers.get().stream().map(s -> s.updateSSLOptions(renewed.sslOptions())).toList())
        .onSuccess(
            updated -> {
              serving = renewed;
              LOG.info("Reloaded the HTTPS certificate: now serving {}", renewed.describe());
            })
        .onFailure(
            e -> {
              refused = renewed.contents();
              refusals.incrementAndGet();
              LOG.warn(
                  "Not reloading the HTTPS certificate, still serving {}: {}",
                  serving.describe(),
                  e.toString());
            })
        .mapEmpty();
  }

  private boolean wasRefused(byte[] chain, byte[] key) {
    byte[][] last = refused;
    return last != null && Arrays.equals(last[0], chain) && Arrays.equals(last[1], key);
  }
}
