package dev.portico.alarm.delivery;

import dev.portico.runtime.ConfigException;
import dev.portico.runtime.ConfigReader;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Where email goes. With no host, Portico runs in local mode: email deliveries are kept (status
 * HELD) and listed by {@code GET /deliveries}, never silently dropped.
 *
 * @param host {@code PORTICO_SMTP_HOST} (empty: local mode, nothing is sent)
 * @param port {@code PORTICO_SMTP_PORT} (587)
 * @param username {@code PORTICO_SMTP_USERNAME} (empty: no authentication)
 * @param password {@code PORTICO_SMTP_PASSWORD} (empty)
 * @param startTls {@code PORTICO_SMTP_STARTTLS} (optional): {@code required} (fail unless the
 *     server offers STARTTLS), {@code optional} (use it when offered) or {@code off}
 * @param from {@code PORTICO_SMTP_FROM} (no-reply@localhost): the sender address; the topic's
 *     display name, if any, is the sender's name
 * @param timeout {@code PORTICO_SMTP_TIMEOUT_MS} (30000): connect, read and write timeout
 * @param caFile {@code PORTICO_SMTP_CA_FILE} (empty: the JVM's trust store): a PEM file of the
 *     certificates (CAs, or the server's own) that the server's TLS certificate must chain to, in
 *     place of the JVM's trust store; the server's host name is checked either way
 */
public record SmtpSettings(
    String host,
    int port,
    String username,
    String password,
    String startTls,
    String from,
    Duration timeout,
    Path caFile) {
  private static final Pattern STARTTLS = Pattern.compile("required|optional|off");

  public boolean configured() {
    return !host.isEmpty();
  }

  public static SmtpSettings read(ConfigReader env) {
    String from = env.string("PORTICO_SMTP_FROM", "no-reply@localhost");
    try {
      new InternetAddress(from, true);
    } catch (AddressException e) {
      throw new ConfigException(
          "Invalid value for PORTICO_SMTP_FROM: '" + from + "' (expected an email address)");
    }
    return new SmtpSettings(
        env.string("PORTICO_SMTP_HOST", ""),
        env.integer("PORTICO_SMTP_PORT", 587, 1, 65535),
        env.string("PORTICO_SMTP_USERNAME", ""),
        env.string("PORTICO_SMTP_PASSWORD", ""),
        env.matching("PORTICO_SMTP_STARTTLS", "optional", STARTTLS, "required, optional or off"),
        from,
        env.millis(
            "PORTICO_SMTP_TIMEOUT_MS",
            Duration.ofSeconds(30),
            Duration.ofMillis(100),
            Duration.ofMinutes(5)),
        caFile(env.string("PORTICO_SMTP_CA_FILE", "")));
  }

  /** The CA file, checked now (readable, at least one certificate), or null when not set. */
  private static Path caFile(String value) {
    if (value.isEmpty()) {
      return null;
    }
    Path path = Path.of(value);
    try {
      SmtpTls.trustStore(path);
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException(
          "Invalid value for PORTICO_SMTP_CA_FILE: '"
              + value
              + "' (expected a readable PEM file of certificates: "
              + e.getMessage()
              + ")");
    }
    return path;
  }

  @Override
  public String toString() {
    // Never print the password.
    return "SmtpSettings["
        + host
        + ":"
        + port
        + ", user="
        + username
        + ", starttls="
        + startTls
        + (caFile == null ? "" : ", ca=" + caFile)
        + "]";
  }
}
