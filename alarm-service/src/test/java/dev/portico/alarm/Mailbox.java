package dev.portico.alarm;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.Address;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a GreenMail server received, read per recipient. */
public final class Mailbox {
  /** One received email, decoded. */
  public record Mail(String to, String subject, String body, String messageId) {}

  private static final Pattern CONFIRM_LINK = Pattern.compile("Confirm subscription: (\\S+)");
  private static final Pattern UNSUBSCRIBE_LINK =
      Pattern.compile("(http://\\S+/unsubscribe\\?token=\\S+)");

  private Mailbox() {}

  public static List<Mail> to(GreenMail server, String recipient) {
    List<Mail> mails = new ArrayList<>();
    for (MimeMessage m : server.getReceivedMessages()) {
      try {
        Address[] to = m.getAllRecipients();
        if (to != null && Arrays.stream(to).anyMatch(a -> a.toString().contains(recipient))) {
          mails.add(
              new Mail(
                  recipient,
                  m.getSubject(),
                  m.getContent().toString().replace("\r\n", "\n"),
                  m.getMessageID()));
        }
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
    return mails;
  }

  public static List<Mail> withSubjectPrefix(GreenMail server, String recipient, String prefix) {
    return to(server, recipient).stream().filter(m -> m.subject().startsWith(prefix)).toList();
  }

  public static String confirmLink(Mail mail) {
    Matcher m = CONFIRM_LINK.matcher(mail.body());
    if (!m.find()) {
      throw new AssertionError("No confirmation link in " + mail.body());
    }
    return m.group(1);
  }

  public static String unsubscribeLink(Mail mail) {
    Matcher m = UNSUBSCRIBE_LINK.matcher(mail.body());
    if (!m.find()) {
      throw new AssertionError("No unsubscribe link in " + mail.body());
    }
    return m.group(1);
  }
}
