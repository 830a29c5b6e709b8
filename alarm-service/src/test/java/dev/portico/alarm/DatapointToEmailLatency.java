package dev.portico.alarm;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.portico.testing.FreePorts;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.MutableClock;
import dev.portico.testing.TestKafka;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A measurement, not a test (its name does not end in Test, so the build never runs it): the delay
 * from a breaching datapoint being published (final) to its alarm email accepted by the SMTP
 * server, one transition at a time, at the default commit interval unless {@code -Dcommit.ms=...}.
 * Run: {@code mvn -o -q -pl alarm-service install -Dtest=DatapointToEmailLatency}; the figures are
 * logged on stdout.
 */
@ExtendWith(KafkaExtension.class)
@Tag("integration")
class DatapointToEmailLatency {
  static final int SAMPLES = Integer.getInteger("samples", 200);

  @Test
  void measure(TestKafka kafka) throws Exception {
    GreenMail mail =
        new GreenMail(new ServerSetup(FreePorts.next(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    mail.start();
    MutableClock clock = new MutableClock(Instant.parse("2023-09-08T07:07:14Z"));
    try (AlarmHarness alarms =
        new AlarmHarness(kafka, clock)
            .smtp(mail.getSmtp().getPort())
            .with("PORTICO_ALARM_COMMIT_INTERVAL_MS", System.getProperty("commit.ms", "100"))
            .start()) {
      Lab.topic(alarms, "latency");
      Lab.confirmedEmail(alarms, mail, "latency", "bench@example.com");
      Lab.alarm(alarms, "latency-alarm", "latency");
      Map<String, String> dims = Map.of("VolumeId", "vol-00f66de5615226721");
      long slot = Instant.parse("2023-09-08T07:06:00Z").toEpochMilli();
      long[] micros = new long[SAMPLES];
      for (int i = 0; i < SAMPLES + 20; i++) {
        // GreenMail counts the latch down when it stores the message, as it answers 250.
        CountDownLatch accepted = mail.getManagers().getSmtpManager().createAndAddNewWaitObject(1);
        double value = i % 2 == 0 ? 248827.87525987526 : 1.0; // every datapoint is a transition
        long start = System.nanoTime();
        alarms.datapoint(
            "Portico/Lab",
            "VolumeWriteBytes",
            dims,
            60,
            Instant.ofEpochMilli(slot).toString(),
            value);
        if (!accepted.await(30, TimeUnit.SECONDS)) {
          throw new AssertionError("no email for datapoint " + i);
        }
        if (i >= 20) { // the first transitions warm up the JIT and the connections
          micros[i - 20] = (System.nanoTime() - start) / 1000;
        }
        slot += 60_000;
      }
      Arrays.sort(micros);
      System.out.printf(
          "datapoint -> email accepted, %d transitions, commit interval %s ms: p50 %.1f ms, p90"
              + " %.1f ms, p99 %.1f ms, max %.1f ms%n",
          SAMPLES,
          System.getProperty("commit.ms", "100"),
          micros[SAMPLES / 2] / 1000.0,
          micros[SAMPLES * 9 / 10] / 1000.0,
          micros[SAMPLES * 99 / 100] / 1000.0,
          micros[SAMPLES - 1] / 1000.0);
    } finally {
      mail.stop();
    }
  }
}
