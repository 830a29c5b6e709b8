package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.portico.contracts.Json;
import dev.portico.testing.FreePorts;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/alarms.md's source lab, run as printed: its {@code sh} blocks, in order, with bash and curl
 * against the whole suite (every service, GreenMail as the SMTP server), only the ports and the
 * metrics grace differing from the defaults. Each block's comments are what it must print ({@code
 * ...} stands for what varies); the subscriber gets the confirmation, then exactly one ALARM and
 * one OK email.
 */
@ExtendWith(KafkaExtension.class)
@Timeout(420)
@Tag("integration")
class AlarmLabEndToEndTest {
  static final String SUBSCRIBER = "digicope@aicore.co.kr";
  static final String ALARM = "awslab_cloudwatch_toomuch_volume_alarm";
  static final Pattern BLOCK = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL);

  @Test
  void theLabShouldRunAsPrintedThroughTheHttpApiOnly(TestKafka kafka, @TempDir Path dataDir)
      throws Exception {
    List<String> blocks = labBlocks();
    assertEquals(5, blocks.size(), "the lab's sh blocks");
    assertFalse(String.join("\n", blocks).contains("Portico/"), "no reserved namespace in the lab");
    GreenMail mail =
        new GreenMail(new ServerSetup(FreePorts.next(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    mail.start();
    try (WholeSuite suite =
        new WholeSuite(kafka, dataDir)
            .with("PORTICO_SMTP_HOST", "127.0.0.1")
            .with("PORTICO_SMTP_PORT", Integer.toString(mail.getSmtp().getPort()))
            // a minute is final 1 s after it ends instead of 60 s: the lab waits less
            .with("PORTICO_METRICS_GRACE_MS", "1000")
            .start()) {
      for (String block : blocks) {
        String script =
            block
                .replace("http://localhost:8094", suite.url("PORTICO_ALARM_PORT", ""))
                .replace("http://localhost:8093", suite.url("PORTICO_METRICS_PORT", ""));
        String output = bash(script);
        expectPrinted(block, output);
      }

      // The lab's last step sees the alarm back in OK; its email is delivered after that
      // transition, asynchronously: wait for it rather than read the mailbox at once.
      assertTrue(
          mail.waitForIncomingEmail(30_000, 3),
          "3 emails expected, received " + mail.getReceivedMessages().length);
      List<MimeMessage> received = Arrays.asList(mail.getReceivedMessages());
      List<String> subjects = new ArrayList<>();
      for (MimeMessage m : received) {
        assertEquals(SUBSCRIBER, m.getAllRecipients()[0].toString());
        subjects.add(m.getSubject());
      }
      assertEquals(
          List.of(
              "Portico Notification - Subscription Confirmation",
              "ALARM: \"" + ALARM + "\" in Portico",
              "OK: \"" + ALARM + "\" in Portico"),
          subjects);
      String alarmMail = received.get(1).getContent().toString(); // decoded (quoted-printable)
      assertTrue(alarmMail.contains("[248827.87525987526 ("), alarmMail);
      assertTrue(alarmMail.contains("- MetricNamespace:                     Lab/EBS"), alarmMail);
      String dashboard =
          "http://localhost:"
              + suite.env.get("PORTICO_EDGE_OPS_PORT")
              + "/dashboard#alarm="
              + ALARM;
      assertTrue(alarmMail.contains("View this alarm:"), alarmMail);
      assertTrue(alarmMail.contains(dashboard), "the link opens the dashboard: " + alarmMail);
      assertTrue(
          alarmMail.contains(
              "The alarm is in the ALARM state when the metric is"
                  + " GreaterThanThreshold 100000.0 for 60 seconds."),
          alarmMail);

      JsonNode history =
          Json.MAPPER.readTree(
              Http.get(
                      suite.url(
                          "PORTICO_ALARM_PORT",
                          "/alarm-history?AlarmName=" + ALARM + "&HistoryItemType=StateUpdate"))
                  .body());
      List<String> summaries = new ArrayList<>();
      history
          .get("AlarmHistoryItems")
          .forEach(i -> summaries.add(i.get("HistorySummary").asText()));
      assertEquals(
          List.of(
              "Alarm updated from ALARM to OK", "Alarm updated from INSUFFICIENT_DATA to ALARM"),
          summaries);
    } finally {
      mail.stop();
    }
  }

  /** The sh blocks of docs/alarms.md's lab section, as printed. */
  static List<String> labBlocks() throws IOException {
    String doc = Files.readString(ComposeFileTest.ROOT.resolve("docs/alarms.md"));
    int start = doc.indexOf("## The source lab, with curl");
    int end = doc.indexOf("\n## ", start + 1);
    Matcher m = BLOCK.matcher(doc.substring(start, end));
    List<String> blocks = new ArrayList<>();
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  /** Runs {@code script} with bash; its standard output, once it exited 0. */
  static String bash(String script) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder("bash", "-c", script)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(300, TimeUnit.SECONDS), "the block finished: " + script);
    assertEquals(0, process.exitValue(), script + "\nprinted:\n" + output);
    return output;
  }

  /**
   * Every comment line of {@code block} is something the block prints: its parts between {@code
   * ...} appear in the output in order, and after what the comments before it matched.
   */
  static void expectPrinted(String block, String output) {
    int at = 0;
    for (String line : block.lines().toList()) {
      if (!line.startsWith("# ")) {
        continue;
      }
      for (String part : line.substring(2).split("\\.\\.\\.")) {
        if (part.isEmpty()) {
          continue;
        }
        int found = output.indexOf(part, at);
        assertTrue(
            found >= 0,
            "the block prints \"" + part + "\" (from: " + line + ")\nit printed:\n" + output);
        at = found + part.length();
      }
    }
  }
}
