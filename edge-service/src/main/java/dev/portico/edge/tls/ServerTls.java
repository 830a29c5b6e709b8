package dev.portico.edge.tls;

import dev.portico.runtime.ConfigException;
import dev.portico.runtime.ConfigReader;
import java.nio.file.Path;

/**
 * Where the edge's HTTPS certificate comes from: {@code PORTICO_EDGE_TLS_CERT_FILE} (the PEM
 * certificate chain, the server's certificate first) and {@code PORTICO_EDGE_TLS_KEY_FILE} (its PEM
 * private key). Both set: the data plane and the admin API serve HTTPS (and WSS) only; neither set
 * ({@link #OFF}): plain HTTP, the local default. The files are read and checked when the
 * configuration is read, so a missing, unreadable or mismatched file stops start-up naming the
 * variable.
 */
public record ServerTls(Path certificateFile, Path keyFile) {
  public static final String CERT_FILE = "PORTICO_EDGE_TLS_CERT_FILE";
  public static final String KEY_FILE = "PORTICO_EDGE_TLS_KEY_FILE";
  public static final ServerTls OFF = new ServerTls(null, null);

  public static ServerTls read(ConfigReader env) {
    String cert = env.string(CERT_FILE, "");
    String key = env.string(KEY_FILE, "");
    if (cert.isEmpty() && key.isEmpty()) {
      return OFF;
    }
    if (cert.isEmpty() || key.isEmpty()) {
      throw new ConfigException(
          (cert.isEmpty() ? KEY_FILE : CERT_FILE)
              + " is set but "
              + (cert.isEmpty() ? CERT_FILE : KEY_FILE)
              + " is not: set both (HTTPS) or neither (plain HTTP)");
    }
    ServerTls tls = new ServerTls(env.path(CERT_FILE, cert), env.path(KEY_FILE, key));
    ServerCertificate.load(tls);
    return tls;
  }

  public boolean enabled() {
    return certificateFile != null;
  }
}
