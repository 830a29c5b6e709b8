package dev.portico.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A private certificate authority for TLS tests, valid for two days: its certificate as PEM and as
 * a PKCS#12 trust store, and the certificates it issues (a broker's for 127.0.0.1 and localhost, a
 * client's) as PEM chain, PKCS#8 key (plain and encrypted) and PKCS#12 key store, all files in one
 * directory. Every store and encrypted key uses {@link #PASSWORD}.
 */
public final class TestCertificates {
  public static final String PASSWORD = "test-store-password";
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  /** The files of one issued certificate. */
  public record Identity(
      Path certificate, Path key, Path encryptedKey, Path keyStore, X509Certificate x509) {}

  private final Path dir;
  private final String name;
  private final KeyPair caKeys;
  private final X509Certificate caCertificate;
  private final Path caFile;
  private final Path trustStore;

  private TestCertificates(Path dir, String name, KeyPair caKeys, X509Certificate ca)
      throws IOException, GeneralSecurityException {
    this.dir = dir;
    this.name = name;
    this.caKeys = caKeys;
    this.caCertificate = ca;
    this.caFile = dir.resolve(name + "-ca.pem");
    Files.writeString(caFile, pem(ca));
    this.trustStore = dir.resolve(name + "-truststore.p12");
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("ca", ca);
    write(store, trustStore);
  }

  /** A new authority named {@code name}, its files in {@code dir}. */
  public static TestCertificates authority(Path dir, String name) {
    try {
      Files.createDirectories(dir);
      KeyPair keys = keyPair();
      X500Name subject = new X500Name("CN=" + name + " test CA");
      JcaX509v3CertificateBuilder builder = builder(subject, subject, keys);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      return new TestCertificates(dir, name, keys, sign(builder, keys));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The authority's certificate, PEM: what a client trusts. */
  public Path caFile() {
    return caFile;
  }

  /** The authority's certificate in a PKCS#12 trust store ({@link #PASSWORD}). */
  public Path trustStore() {
    return trustStore;
  }

  /** A certificate for a server reached as 127.0.0.1 or localhost. */
  public Identity server(String commonName) {
    return issue(commonName, true);
  }

  /** A certificate for a client (mutual TLS), naming no host. */
  public Identity client(String commonName) {
    return issue(commonName, false);
  }

  private Identity issue(String commonName, boolean server) {
    try {
      KeyPair keys = keyPair();
      JcaX509v3CertificateBuilder builder =
          builder(new X500Name("CN=" + name + " test CA"), new X500Name("CN=" + commonName), keys);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      if (server) {
        builder.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(
                new GeneralName[] {
                  new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                  new GeneralName(GeneralName.dNSName, "localhost")
                }));
      }
      X509Certificate certificate = sign(builder, caKeys);
      String base = name + "-" + commonName;
      Path chain = dir.resolve(base + ".pem");
      Files.writeString(chain, pem(certificate) + pem(caCertificate));
      Path key = dir.resolve(base + ".key");
      Files.writeString(key, pem(new JcaPKCS8Generator(keys.getPrivate(), null)));
      Path encryptedKey = dir.resolve(base + ".encrypted.key");
      OutputEncryptor encryptor =
          // PBES1, as `openssl pkcs8 -topk8 -v1 PBE-SHA1-3DES`: the JDK (and so Kafka) cannot
          // decrypt PBES2 keys.
          new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.PBE_SHA1_3DES)
              .setProvider(new BouncyCastleProvider())
              .setPassword(PASSWORD.toCharArray())
              .build();
      Files.writeString(encryptedKey, pem(new JcaPKCS8Generator(keys.getPrivate(), encryptor)));
      Path keyStore = dir.resolve(base + ".p12");
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(
          commonName,
          keys.getPrivate(),
          PASSWORD.toCharArray(),
          new java.security.cert.Certificate[] {certificate, caCertificate});
      write(store, keyStore);
      return new Identity(chain, key, encryptedKey, keyStore, certificate);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  private static JcaX509v3CertificateBuilder builder(
      X500Name issuer, X500Name subject, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        BigInteger.valueOf(SERIAL.incrementAndGet()),
        Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(Duration.ofDays(2))),
        subject,
        keys.getPublic());
  }

  private static X509Certificate sign(JcaX509v3CertificateBuilder builder, KeyPair signer)
      throws OperatorCreationException, GeneralSecurityException {
    ContentSigner signature =
        new JcaContentSignerBuilder("SHA256withRSA").build(signer.getPrivate());
    return new JcaX509CertificateConverter().getCertificate(builder.build(signature));
  }

  private static String pem(Object object) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }

  private static void write(KeyStore store, Path file)
      throws IOException, GeneralSecurityException {
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, PASSWORD.toCharArray());
    }
  }
}
