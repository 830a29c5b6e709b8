package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import dev.portico.contracts.Json;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * An alarm that a fault sets off, through alarm-service's public API: a topic with a confirmed
 * email subscriber (GreenMail), an alarm on a 10-second metric that a monitor reports as 1 every
 * second while a broker is lost and does not report otherwise (missing data is not breaching), so
 * it goes to ALARM and back to OK, each change emailed. No duplicate email: every change to ALARM
 * and to OK in the alarm's history is one email, whichever alarm-service replica evaluated or
 * delivered it, with brokers dying under it.
 *
 * <p>Why every second and not once: metrics-service keeps a 1-second period open for its grace (5
 * s) and drops what comes later, as CloudWatch does; a single datapoint sent during the broker's
 * fail-over, when nothing moves through Kafka for 10-20 s, is late by the time it is aggregated,
 * and the alarm never sees it (the first draft of this check waited 3 minutes for an ALARM that
 * could not come).
 */
final class FaultAlarm {
  static final String TOPIC = "cluster-faults";
  static final String NAME = "broker-lost";
  static final String SUBSCRIBER = "oncall@example.com";
  static final Pattern CONFIRM = Pattern.compile("http\\S*/confirm\\?token=[A-Za-z0-9_-]+");

  private final String alarms;
  private final String metrics;
  private final GreenMail mail;

  FaultAlarm(String alarms, String metrics, GreenMail mail) {
    this.alarms = alarms;
    this.metrics = metrics;
    this.mail = mail;
  }

  /** The topic, its confirmed subscriber and the alarm (in INSUFFICIENT_DATA, then OK). */
  void create() {
    expect(201, Http.request("PUT", alarms + "/topics/" + TOPIC, "{\"DisplayName\":\"Faults\"}"));
    expect(
        201,
        Http.postJson(
            alarms + "/topics/" + TOPIC + "/subscriptions",
            "{\"Protocol\":\"email\",\"Endpoint\":\"" + SUBSCRIBER + "\"}"));
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> mail.getReceivedMessages().length > 0);
    Matcher link =
        CONFIRM.matcher(GreenMailUtil.getBody(mail.getReceivedMessages()[0]).replace("=\r\n", ""));
    assertTrue(link.find(), "the confirmation email has the link");
    expect(200, Http.get(link.group()));
    expect(
        201,
        Http.request(
            "PUT",
            alarms + "/alarms/" + NAME,
            """
            {"Namespace": "Cluster/Faults", "MetricName": "BrokersLost",
             "Statistic": "Maximum", "Period": 10, "EvaluationPeriods": 1, "DatapointsToAlarm": 1,
             "Threshold": 0, "ComparisonOperator": "GreaterThanThreshold",
             "TreatMissingData": "notBreaching",
             "AlarmActions": ["%s"], "OKActions": ["%s"]}
            """
                .formatted(TOPIC, TOPIC)));
  }

  /**
   * Starts reporting a lost broker: a 1-second datapoint of 1 every second, as a monitor does,
   * until the returned handle is closed. Reports that fail (Kafka failing over) are dropped, as a
   * monitor's would be; {@link Reporting#accepted()} counts the others.
   */
  Reporting reportBrokerLost() {
    String datum =
        """
        {"Namespace": "Cluster/Faults", "MetricData": [{"MetricName": "BrokersLost",
          "Value": 1, "StorageResolution": 1}]}
        """;
    return new Reporting(metrics + "/metrics/data", datum);
  }

  /** A monitor's reports, one a second on a thread of their own. */
  static final class Reporting implements AutoCloseable {
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger accepted = new AtomicInteger();

    private Reporting(String url, String datum) {
      thread.scheduleWithFixedDelay(
          () -> {
            try {
              if (Http.postJson(url, datum).statusCode() == 200) {
                accepted.incrementAndGet();
              }
            } catch (RuntimeException refusedOrTimedOut) {
              // dropped, as a monitor's report is while its backend is down
            }
          },
          0,
          1,
          TimeUnit.SECONDS);
    }

    int accepted() {
      return accepted.get();
    }

    @Override
    public void close() throws InterruptedException {
      thread.shutdown();
      thread.awaitTermination(60, TimeUnit.SECONDS);
    }
  }

  /**
   * Waits until the alarm went to ALARM and is back to OK, and every change of state was mailed;
   * then checks that each was mailed exactly once.
   */
  void assertEachChangeMailedOnce() {
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(180))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  changes().getOrDefault("ALARM", 0) > 0
                      && state().equals("OK")
                      && mailed().equals(changes()));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "the alarm did not go to ALARM and back to OK with each change mailed within 3 minutes:"
              + " state "
              + state()
              + ", changes "
              + changes()
              + ", mailed "
              + mailed(),
          e);
    }
    Map<String, Integer> changes = changes();
    assertEquals(changes, mailed(), "one email per change of state (history: " + changes + ")");
    System.out.println("  alarm " + NAME + ": changes of state " + changes + ", each mailed once");
    assertEquals(1, mailed("Portico Notification - Subscription Confirmation"), "one confirmation");
  }

  private String state() {
    return json(Http.get(alarms + "/alarms/" + NAME)).get("StateValue").asText();
  }

  /** The alarm's changes to ALARM and to OK, by new state, from its history. */
  private Map<String, Integer> changes() {
    Map<String, Integer> changes = new HashMap<>();
    json(Http.get(alarms + "/alarm-history?AlarmName=" + NAME + "&HistoryItemType=StateUpdate"))
        .get("AlarmHistoryItems")
        .forEach(
            item -> {
              String summary = item.get("HistorySummary").asText();
              String to = summary.substring(summary.lastIndexOf(' ') + 1);
              if (to.equals("ALARM") || to.equals("OK")) {
                changes.merge(to, 1, Integer::sum);
              }
            });
    return changes;
  }

  /** The emails about the alarm, by the state in their subject. */
  private Map<String, Integer> mailed() {
    Map<String, Integer> mailed = new HashMap<>();
    for (String state : new String[] {"ALARM", "OK"}) {
      int count = mailed(state + ": \"" + NAME + "\" in Portico");
      if (count > 0) {
        mailed.put(state, count);
      }
    }
    return mailed;
  }

  private int mailed(String subject) {
    int count = 0;
    for (MimeMessage message : mail.getReceivedMessages()) {
      try {
        if (subject.equals(message.getSubject())) {
          count++;
        }
      } catch (jakarta.mail.MessagingException e) {
        throw new IllegalStateException(e);
      }
    }
    return count;
  }

  private static void expect(int status, HttpResponse<String> response) {
    assertEquals(status, response.statusCode(), response.body());
  }

  private static JsonNode json(HttpResponse<String> response) {
    try {
      return Json.MAPPER.readTree(response.body());
    } catch (Exception e) {
      throw new IllegalStateException(response.body(), e);
    }
  }
}
