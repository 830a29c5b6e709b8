package dev.portico.customer.dynamo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.portico.table.catalog.TableDefinition;
import dev.portico.table.key.KeySchema;
import dev.portico.table.key.KeyType;
import dev.portico.table.value.AttributeValue;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which items a team table's TTL expires, and when: a number of epoch seconds, and nothing else.
 */
class TimeToLiveTest {
  private static final TableDefinition TABLE =
      new TableDefinition(
              "Sessions", new KeySchema("id", KeyType.S, null, null), null, null, 0, null)
          .withTtlAttribute("expires");

  private static Long expiry(AttributeValue value) {
    return TimeToLive.expiry(TABLE, Map.of("id", new AttributeValue.S("a"), "expires", value));
  }

  private static AttributeValue.N n(String number) {
    return new AttributeValue.N(new BigDecimal(number));
  }

  @Test
  void aNumberOfEpochSecondsShouldBeTheExpiryAFractionRoundedDown() {
    assertEquals(1_796_000_000L, expiry(n("1796000000")));
    assertEquals(1_796_000_000L, expiry(n("1796000000.9")));
    assertEquals(0L, expiry(n("0")));
    assertEquals(1_796_000_000L, expiry(n("1.796E9")));
  }

  @Test
  void anythingElseShouldNeverExpire() {
    for (AttributeValue value :
        List.of(
            new AttributeValue.S("1796000000"),
            n("-5"),
            n("1E+40"),
            new AttributeValue.L(List.of(n("1"))))) {
      assertNull(expiry(value), value.toString());
    }
    assertNull(TimeToLive.expiry(TABLE, Map.of("id", new AttributeValue.S("a"))));
    assertNull(
        TimeToLive.expiry(TABLE.withTtlAttribute(null), Map.of("expires", n("1"))), "TTL disabled");
  }
}
