package dev.portico.edge.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.runtime.ConfigException;
import dev.portico.runtime.ConfigReader;
import dev.portico.testing.TestCertificates;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PORTICO_EDGE_TLS_*: every combination refused or accepted, each refusal naming the variable. */
class ServerTlsTest {
  @TempDir static Path dir;
  static TestCertificates ca;
  static TestCertificates.Identity server;
  static TestCertificates.Identity other;

  @BeforeAll
  static void certificates() {
    ca = TestCertificates.authority(dir, "tls");
    server = ca.server("edge");
    other = ca.server("other");
  }

  @Test
  void shouldStayPlainHttpWhenNeitherIsSet() {
    ServerTls tls = read(Map.of());
    assertFalse(tls.enabled());
    assertEquals(ServerTls.OFF, read(Map.of(ServerTls.CERT_FILE, " ", ServerTls.KEY_FILE, "")));
  }

  @Test
  void shouldAcceptAPemChainAndItsPkcs8Key() {
    ServerTls tls = read(pair(server.certificate(), server.key()));
    assertTrue(tls.enabled());
    assertEquals(server.certificate(), tls.certificateFile());
    assertTrue(ServerCertificate.load(tls).describe().startsWith("CN=edge, valid until "));
  }

  @Test
  void shouldAcceptATraditionalRsaKey() throws Exception {
    // cert-manager's default encoding: PKCS#1, -----BEGIN RSA PRIVATE KEY-----
    String pkcs8 =
        Files.readString(server.key()).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(
          KeyFactory.getInstance("RSA")
              .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pkcs8))));
    }
    assertTrue(out.toString().contains("-----BEGIN RSA PRIVATE KEY-----"), out.toString());
    Path pkcs1 = Files.writeString(dir.resolve("pkcs1.key"), out.toString());
    assertTrue(read(pair(server.certificate(), pkcs1)).enabled());
  }

  @Test
  void shouldRefuseOneWithoutTheOther() {
    assertEquals(
        "PORTICO_EDGE_TLS_CERT_FILE is set but PORTICO_EDGE_TLS_KEY_FILE is not: set both (HTTPS)"
            + " or neither (plain HTTP)",
        refused(Map.of(ServerTls.CERT_FILE, server.certificate().toString())));
    assertEquals(
        "PORTICO_EDGE_TLS_KEY_FILE is set but PORTICO_EDGE_TLS_CERT_FILE is not: set both (HTTPS)"
            + " or neither (plain HTTP)",
        refused(Map.of(ServerTls.KEY_FILE, server.key().toString())));
  }

  @Test
  void shouldRefuseMissingOrUnreadableFiles() {
    Path missing = dir.resolve("missing.pem");
    assertEquals(
        "PORTICO_EDGE_TLS_CERT_FILE: cannot read " + missing + " (NoSuchFileException)",
        refused(pair(missing, server.key())));
    assertEquals(
        "PORTICO_EDGE_TLS_KEY_FILE: cannot read " + dir + " (IOException)",
        refused(pair(server.certificate(), dir)));
  }

  @Test
  void shouldRefuseFilesWithoutTheirPemBlocks() throws Exception {
    Path text = Files.writeString(dir.resolve("text.pem"), "not a certificate\n");
    assertEquals(
        "PORTICO_EDGE_TLS_CERT_FILE: " + text + " holds no PEM block -----BEGIN CERTIFICATE-----",
        refused(pair(text, server.key())));
    assertEquals(
        "PORTICO_EDGE_TLS_KEY_FILE: "
            + server.certificate()
            + " holds no PEM private key (-----BEGIN PRIVATE KEY-----, -----BEGIN RSA PRIVATE"
            + " KEY----- or -----BEGIN EC PRIVATE KEY-----)",
        refused(pair(server.certificate(), server.certificate())));
  }

  @Test
  void shouldRefuseAnEncryptedKey() {
    String message = refused(pair(server.certificate(), server.encryptedKey()));
    assertTrue(
        message.startsWith(
            "PORTICO_EDGE_TLS_KEY_FILE: " + server.encryptedKey() + " is encrypted;"),
        message);
  }

  @Test
  void shouldRefuseABrokenPemBlock() throws Exception {
    Path broken =
        Files.writeString(
            dir.resolve("broken.key"),
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    String message = refused(pair(server.certificate(), broken));
    assertTrue(
        message.startsWith(
            "Cannot use PORTICO_EDGE_TLS_CERT_FILE ("
                + server.certificate()
                + ") and PORTICO_EDGE_TLS_KEY_FILE ("
                + broken
                + "): "),
        message);
  }

  @Test
  void shouldRefuseAKeyThatIsNotTheCertificates() {
    assertEquals(
        "PORTICO_EDGE_TLS_KEY_FILE: "
            + other.key()
            + " is not the key of the first certificate in "
            + server.certificate()
            + " (PORTICO_EDGE_TLS_CERT_FILE, CN=edge)",
        refused(pair(server.certificate(), other.key())));
  }

  @Test
  void shouldStopEdgeServiceWithExitCode2NamingTheVariable() throws Exception {
    Path missing = dir.resolve("gone.key");
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.portico.edge.EdgeMain")
            .redirectErrorStream(true);
    builder.environment().putAll(pair(server.certificate(), missing));
    builder.environment().put("PORTICO_EDGE_PORT", "0");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), output);
    assertEquals(2, process.exitValue(), output);
    assertTrue(
        output.contains(
            "PORTICO_EDGE_TLS_KEY_FILE: cannot read " + missing + " (NoSuchFileException)"),
        output);
  }

  private static Map<String, String> pair(Path cert, Path key) {
    Map<String, String> env = new HashMap<>();
    env.put(ServerTls.CERT_FILE, cert.toString());
    env.put(ServerTls.KEY_FILE, key.toString());
    return env;
  }

  private static ServerTls read(Map<String, String> env) {
    return ServerTls.read(new ConfigReader(env));
  }

  private static String refused(Map<String, String> env) {
    return assertThrows(ConfigException.class, () -> read(env)).getMessage();
  }
}
