package dev.portico.edge.tls;

import static dev.portico.edge.tls.ServerTls.CERT_FILE;
import static dev.portico.edge.tls.ServerTls.KEY_FILE;

import dev.portico.runtime.ConfigException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import javax.net.ssl.X509KeyManager;

/**
 * One certificate chain and its private key as the edge serves them, checked the way Vert.x will
 * load them: a chain of PEM certificates, an RSA or EC key (PKCS#8 {@code BEGIN PRIVATE KEY},
 * PKCS#1 {@code BEGIN RSA PRIVATE KEY} or SEC1 {@code BEGIN EC PRIVATE KEY}, not encrypted), and
 * the key must be the certificate's (a signature made with it verifies with the certificate), so
 * that a half-replaced pair is refused instead of failing every handshake. TLS 1.2 and 1.3 only;
 * ALPN offers HTTP/2 and HTTP/1.1.
 */
public final class ServerCertificate {
  static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  private final byte[] chain;
  private final byte[] key;
  private final X509Certificate leaf;

  private ServerCertificate(byte[] chain, byte[] key, X509Certificate leaf) {
    this.chain = chain;
    this.key = key;
    this.leaf = leaf;
  }

  /** Reads and checks both files (blocking); a failure names the variable and the file. */
  public static ServerCertificate load(ServerTls tls) {
    return parse(tls, read(CERT_FILE, tls.certificateFile()), read(KEY_FILE, tls.keyFile()));
  }

  /** Checks the files' contents; a failure names the variable and the file. */
  public static ServerCertificate parse(ServerTls tls, byte[] chain, byte[] key) {
    String chainText = new String(chain, StandardCharsets.ISO_8859_1);
    String keyText = new String(key, StandardCharsets.ISO_8859_1);
    Path certFile = tls.certificateFile();
    Path keyFile = tls.keyFile();
    if (!chainText.contains("-----BEGIN CERTIFICATE-----")) {
      throw new ConfigException(
          CERT_FILE + ": " + certFile + " holds no PEM block -----BEGIN CERTIFICATE-----");
    }
    if (keyText.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
      throw new ConfigException(
          KEY_FILE
              + ": "
              + keyFile
              + " is encrypted; the edge reads unencrypted keys (decrypt it with `openssl pkey -in"
              + " KEY -out KEY.plain` and protect the file instead)");
    }
    if (!keyText.matches("(?s).*-----BEGIN (RSA |EC )?PRIVATE KEY-----.*")) {
      throw new ConfigException(
          KEY_FILE
              + ": "
              + keyFile
              + " holds no PEM private key (-----BEGIN PRIVATE KEY-----, -----BEGIN RSA PRIVATE"
              + " KEY----- or -----BEGIN EC PRIVATE KEY-----)");
    }
    X509KeyManager keys;
    String alias;
    try {
      // The values are given, so Vert.x reads no file and needs no Vertx instance here.
      keys = (X509KeyManager) keyCert(chain, key).getKeyManagerFactory(null).getKeyManagers()[0];
      alias = alias(keys);
    } catch (Exception e) {
      throw new ConfigException(
          "Cannot use "
              + CERT_FILE
              + " ("
              + certFile
              + ") and "
              + KEY_FILE
              + " ("
              + keyFile
              + "): "
              + reason(e));
    }
    X509Certificate leaf = keys.getCertificateChain(alias)[0];
    if (!belongTogether(keys.getPrivateKey(alias), leaf)) {
      throw new ConfigException(
          KEY_FILE
              + ": "
              + keyFile
              + " is not the key of the first certificate in "
              + certFile
              + " ("
              + CERT_FILE
              + ", "
              + leaf.getSubjectX500Principal().getName()
              + ")");
    }
    return new ServerCertificate(chain.clone(), key.clone(), leaf);
  }

  /** Turns {@code options} into an HTTPS server's: this certificate, TLS 1.2/1.3, ALPN. */
  public HttpServerOptions applyTo(HttpServerOptions options) {
    return options
        .setSsl(true)
        .setUseAlpn(true)
        .setKeyCertOptions(keyCert(chain, key))
        .setEnabledSecureTransportProtocols(PROTOCOLS);
  }

  /** The options that replace a running server's certificate ({@code updateSSLOptions}). */
  public ServerSSLOptions sslOptions() {
    return new ServerSSLOptions()
        .setUseAlpn(true)
        .setKeyCertOptions(keyCert(chain, key))
        .setEnabledSecureTransportProtocols(PROTOCOLS);
  }

  /** True when the files still hold exactly what this certificate was read from. */
  public boolean sameAs(byte[] chain, byte[] key) {
    return Arrays.equals(this.chain, chain) && Arrays.equals(this.key, key);
  }

  /** The chain's and the key's bytes, as read. */
  byte[][] contents() {
    return new byte[][] {chain, key};
  }

  /** For the log: whom the certificate names and until when it is valid. */
  public String describe() {
    return leaf.getSubjectX500Principal().getName() + ", valid until " + notAfter();
  }

  public Instant notAfter() {
    return leaf.getNotAfter().toInstant();
  }

  private static PemKeyCertOptions keyCert(byte[] chain, byte[] key) {
    return new PemKeyCertOptions()
        .setCertValue(Buffer.buffer(chain))
        .setKeyValue(Buffer.buffer(key));
  }

  /** The one entry Vert.x made of the pair (it loads RSA and EC keys). */
  private static String alias(X509KeyManager keys) {
    for (String type : new String[] {"RSA", "EC"}) {
      String[] aliases = keys.getServerAliases(type, null);
      if (aliases != null && aliases.length > 0) {
        return aliases[0];
      }
    }
    throw new IllegalArgumentException("the key is neither RSA nor EC");
  }

  private static boolean belongTogether(PrivateKey privateKey, X509Certificate certificate) {
    // Vert.x loads RSA and EC keys only.
    String algorithm =
        privateKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    try {
      byte[] challenge = "portico key check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(privateKey);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static byte[] read(String variable, Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ConfigException(
          variable + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static String reason(Throwable e) {
    StringBuilder reasons = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      if (reasons.indexOf(message) < 0) {
        reasons.append(reasons.length() == 0 ? "" : ": ").append(message);
      }
    }
    return reasons.toString();
  }
}
