package dev.portico.edge.plans;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portico.contracts.Topics;
import dev.portico.runtime.ConfigReader;
import dev.portico.runtime.KafkaSettings;
import dev.portico.runtime.TopicProvisioner;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.MutableClock;
import dev.portico.testing.TestKafka;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Usage counts per UTC day, so a DAY quota starts afresh at midnight (an injectable clock). */
@ExtendWith(KafkaExtension.class)
@Tag("integration")
class QuotaBoundaryTest {
  @Test
  void shouldStartADayQuotaAfreshAtMidnightUtcAndKeepTheMonthTotal(TestKafka kafka) {
    KafkaSettings settings =
        KafkaSettings.read(
            new ConfigReader(
                Map.of(
                    "PORTICO_KAFKA_BOOTSTRAP", kafka.bootstrapServers(),
                    "PORTICO_TOPIC_PREFIX", kafka.freshPrefix())));
    TopicProvisioner.ensure(settings, List.of(Topics.EDGE_USAGE));
    MutableClock clock = new MutableClock(Instant.parse("2026-11-30T23:59:59Z"));
    try (UsageLedger ledger =
        new UsageLedger(
            settings,
            settings.topic(Topics.EDGE_USAGE),
            "0",
            clock,
            Duration.ofMillis(50),
            Duration.ofSeconds(5))) {
      ledger.start();
      ledger.record("k");
      ledger.record("k");
      assertEquals(2, ledger.used("k", ledger.today()));
      clock.set(Instant.parse("2026-12-01T00:00:00Z"));
      assertEquals(LocalDate.of(2026, 12, 1), ledger.today());
      assertEquals(0, ledger.used("k", ledger.today()), "a new day, a new DAY quota");
      ledger.record("k");
      assertEquals(1, ledger.used("k", LocalDate.of(2026, 12, 1), LocalDate.of(2026, 12, 1)));
      assertEquals(
          2, ledger.used("k", LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 30)), "November");
    }
  }
}
