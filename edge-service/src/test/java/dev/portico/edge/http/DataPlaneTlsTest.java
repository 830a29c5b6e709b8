package dev.portico.edge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portico.edge.tls.CertificateReloader;
import dev.portico.edge.tls.ServerCertificate;
import dev.portico.edge.tls.ServerTls;
import dev.portico.testing.FreePorts;
import dev.portico.testing.TestCertificates;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS on a fixed port served by several event loops (one server each, sharing the socket): a
 * renewed certificate reaches the connections of every loop.
 */
class DataPlaneTlsTest {
  @TempDir Path dir;

  @Test
  void shouldServeARenewedCertificateFromEveryLoop() throws Exception {
    TestCertificates ca = TestCertificates.authority(dir, "loops");
    TestCertificates.Identity one = ca.server("one");
    TestCertificates.Identity two = ca.server("two");
    Path cert = Files.copy(one.certificate(), dir.resolve("tls.crt"));
    Path key = Files.copy(one.key(), dir.resolve("tls.key"));
    ServerTls tls = new ServerTls(cert, key);
    SSLContext trust = trusting(ca.caFile());

    Vertx vertx = Vertx.vertx();
    Set<String> threads = ConcurrentHashMap.newKeySet();
    int port = FreePorts.next();
    ServerCertificate first = ServerCertificate.load(tls);
    DataPlaneServer server =
        new DataPlaneServer(
            vertx,
            req -> {
              threads.add(Thread.currentThread().getName());
              req.response().end("ok");
            },
            2,
            60_000,
            131_072,
            first);
    CertificateReloader reloader = new CertificateReloader(vertx, tls, first, server::servers);
    try {
      server.listen("127.0.0.1", port).await(10, TimeUnit.SECONDS);
      reloader.start();
      for (int i = 0; i < 10; i++) {
        assertEquals("CN=one ok", call(trust, port));
      }
      assertEquals(2, threads.size(), threads.toString());

      replace(two.key(), key);
      replace(two.certificate(), cert);
      Awaitility.await()
          .atMost(10, TimeUnit.SECONDS)
          .untilAsserted(() -> assertEquals("CN=two ok", call(trust, port)));
      threads.clear();
      for (int i = 0; i < 10; i++) {
        assertEquals("CN=two ok", call(trust, port));
      }
      assertEquals(2, threads.size(), threads.toString());
    } finally {
      reloader.stop();
      server.shutdown().await(10, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** A request on a new connection: the certificate's subject and the answer. */
  private static String call(SSLContext trust, int port) throws IOException {
    try (SSLSocket socket = (SSLSocket) trust.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket
          .getOutputStream()
          .write(
              "GET / HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      X509Certificate peer = (X509Certificate) socket.getSession().getPeerCertificates()[0];
      return peer.getSubjectX500Principal().getName()
          + " "
          + answer.substring(answer.indexOf("\r\n\r\n") + 4);
    }
  }

  private static void replace(Path source, Path target) throws IOException {
    Path next = target.resolveSibling(target.getFileName() + ".next");
    Files.copy(source, next, StandardCopyOption.REPLACE_EXISTING);
    Files.move(next, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static SSLContext trusting(Path caFile) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    try (var in = Files.newInputStream(caFile)) {
      store.setCertificateEntry(
          "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }
}
