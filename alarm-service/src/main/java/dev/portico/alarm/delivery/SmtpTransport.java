package dev.portico.alarm.delivery;

import dev.portico.contracts.alarms.Delivery;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.security.GeneralSecurityException;
import java.util.Date;
import java.util.Properties;

/**
 * Email over SMTP with Angus Mail: one connection per message, STARTTLS and authentication as
 * configured; the server's certificate is verified (against {@code PORTICO_SMTP_CA_FILE} when set,
 * else the JVM's trust store) and must name the host. The Message-ID is derived from the delivery
 * id, so if a crash makes us send a delivery twice, receivers that deduplicate by Message-ID see
 * one message.
 */
public final class SmtpTransport implements Transport {
  private final SmtpSettings settings;
  private final Session session;

  public SmtpTransport(SmtpSettings settings) {
    this.settings = settings;
    Properties p = new Properties();
    p.put("mail.transport.protocol", "smtp");
    p.put("mail.smtp.host", settings.host());
    p.put("mail.smtp.port", Integer.toString(settings.port()));
    String timeout = Long.toString(settings.timeout().toMillis());
    p.put("mail.smtp.connectiontimeout", timeout);
    p.put("mail.smtp.timeout", timeout);
    p.put("mail.smtp.writetimeout", timeout);
    p.put("mail.smtp.starttls.enable", Boolean.toString(!settings.startTls().equals("off")));
    p.put("mail.smtp.starttls.required", Boolean.toString(settings.startTls().equals("required")));
    p.put("mail.smtp.auth", Boolean.toString(!settings.username().isEmpty()));
    // The certificate must match the host we connect to, whoever vouches for it.
    p.put("mail.smtp.ssl.checkserveridentity", "true");
    if (settings.caFile() != null) {
      try {
        p.put("mail.smtp.ssl.socketFactory", SmtpTls.trustingOnly(settings.caFile()));
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalStateException("PORTICO_SMTP_CA_FILE: " + e.getMessage(), e);
      }
    }
    this.session = Session.getInstance(p);
  }

  @Override
  public void send(Delivery d) throws DeliveryFailure {
    try {
      MimeMessage message = new StableIdMessage(session, d.deliveryId());
      message.setFrom(new InternetAddress(settings.from(), d.fromName(), "UTF-8"));
      message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(d.endpoint(), true));
      message.setSubject(d.subject(), "UTF-8");
      message.setText(d.body(), "UTF-8");
      message.setSentDate(new Date());
      message.setHeader("Auto-Submitted", "auto-generated");
      if (settings.username().isEmpty()) {
        jakarta.mail.Transport.send(message);
      } else {
        jakarta.mail.Transport.send(message, settings.username(), settings.password());
      }
    } catch (SendFailedException rejected) {
      boolean recipientRejected =
          rejected.getInvalidAddresses() != null && rejected.getInvalidAddresses().length > 0;
      throw new DeliveryFailure(describe(rejected), recipientRejected, rejected);
    } catch (MessagingException | UnsupportedEncodingException e) {
      throw new DeliveryFailure(describe(e), false, e);
    }
  }

  private static String describe(Exception e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return root == e ? message : message + " (" + root + ")";
  }

  /** Keeps the Message-ID we chose instead of a random one. */
  private static final class StableIdMessage extends MimeMessage {
    private final String deliveryId;

    StableIdMessage(Session session, String deliveryId) {
      super(session);
      this.deliveryId = deliveryId;
    }

    @Override
    protected void updateMessageID() throws MessagingException {
      setHeader("Message-ID", "<" + deliveryId + "@portico>");
    }
  }
}
