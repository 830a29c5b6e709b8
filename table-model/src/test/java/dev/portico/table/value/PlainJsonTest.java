package dev.portico.table.value;

import static dev.portico.table.value.DynamoJsonTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The documented mapping between the REST API's plain JSON and typed values, both ways. */
class PlainJsonTest {
  @Test
  void plainJsonBecomesTheTypedValuesTheDynamoDbApiWouldWrite() {
    Map<String, AttributeValue> plain =
        PlainJson.readItem(
            """
            {"id":"c-1","age":42,"score":-0.5,"vip":true,"note":null,
             "address":{"city":"Lyon","zip":69001},"tags":["a",1,false,null,[],{}]}""");

    Map<String, AttributeValue> typed =
        DynamoJson.readItem(
            json(
                """
                {"id":{"S":"c-1"},"age":{"N":"42"},"score":{"N":"-0.5"},"vip":{"BOOL":true},
                 "note":{"NULL":true},
                 "address":{"M":{"city":{"S":"Lyon"},"zip":{"N":"69001"}}},
                 "tags":{"L":[{"S":"a"},{"N":"1"},{"BOOL":false},{"NULL":true},{"L":[]},{"M":{}}]}}"""));

    assertEquals(typed, plain);
  }

  @Test
  void numbersBeyondDoublePrecisionSurviveBothWays() {
    String text =
        "{\"big\":12345678901234567890123456789012345678,"
            + "\"fine\":0.1234567890123456789012345678901234567,"
            + "\"huge\":9.9999999999999999999999999999999999999E+125}";

    Map<String, AttributeValue> item = PlainJson.readItem(text);

    assertEquals(
        new BigDecimal("12345678901234567890123456789012345678"),
        ((AttributeValue.N) item.get("big")).value());
    assertEquals(
        "0.1234567890123456789012345678901234567", ((AttributeValue.N) item.get("fine")).text());
    JsonNode back = PlainJson.write(item);
    assertEquals(
        new BigDecimal("12345678901234567890123456789012345678"), back.get("big").decimalValue());
    assertEquals(
        new BigDecimal("0.1234567890123456789012345678901234567"), back.get("fine").decimalValue());
    assertEquals(item, PlainJson.readItem(back.toString()));
  }

  @Test
  void plainToTypedAndBackIsTheIdentityUpToCanonicalNumbers() {
    String text =
        "{\"s\":\"x\",\"n\":12.5,\"b\":true,\"z\":null,\"m\":{\"l\":[1,\"two\",[3]]},\"e\":\"\"}";
    assertEquals(text, PlainJson.write(PlainJson.readItem(text)).toString());
    assertEquals(
        "{\"n\":12.5,\"i\":100,\"t\":1E-7}",
        PlainJson.write(PlainJson.readItem("{\"n\":12.50,\"i\":1E2,\"t\":0.0000001}")).toString());
  }

  @Test
  void setsBecomeArraysAndBinaryBecomesBase64Text() {
    Map<String, AttributeValue> typed =
        Map.of(
            "tags", new AttributeValue.SS(new LinkedHashSet<>(List.of("red", "blue"))),
            "sizes",
                new AttributeValue.NS(
                    new LinkedHashSet<>(List.of(new BigDecimal("1.50"), new BigDecimal("3")))),
            "blob", AttributeValue.b(new byte[] {0, 1, (byte) 0xFF}),
            "chunks",
                new AttributeValue.BS(
                    new LinkedHashSet<>(
                        List.of(Bytes.of(new byte[] {0}), Bytes.of(new byte[] {1})))));

    JsonNode plain = PlainJson.write(typed);

    assertEquals("[\"red\",\"blue\"]", plain.get("tags").toString());
    assertEquals("[1.5,3]", plain.get("sizes").toString());
    assertEquals("\"AAH/\"", plain.get("blob").toString());
    assertEquals("[\"AA==\",\"AQ==\"]", plain.get("chunks").toString());
    // reading them back gives what plain JSON can say: lists and strings
    Map<String, AttributeValue> back = PlainJson.readItem(plain.toString());
    assertEquals(
        new AttributeValue.L(List.of(AttributeValue.s("red"), AttributeValue.s("blue"))),
        back.get("tags"));
    assertEquals(
        new AttributeValue.L(List.of(AttributeValue.n("1.5"), AttributeValue.n(3))),
        back.get("sizes"));
    assertEquals(AttributeValue.s("AAH/"), back.get("blob"));
  }

  @Test
  void refusesNumbersDynamoDbCannotStoreNamingWhere() {
    InvalidValueException e =
        assertThrows(
            InvalidValueException.class,
            () ->
                PlainJson.readItem(
                    "{\"a\":{\"b\":[1, 1234567890123456789012345678901234567890]}}"));
    assertEquals(
        "Attempting to store more than 38 significant digits in a Number (at a.b[1])",
        e.getMessage());
    assertThrows(InvalidValueException.class, () -> PlainJson.readItem("{\"a\":1e400}"));
  }

  @Test
  void refusesWhatIsNotAJsonObject() {
    assertEquals(
        "An item must be a JSON object",
        assertThrows(InvalidValueException.class, () -> PlainJson.readItem("[1]")).getMessage());
    assertEquals(
        true,
        assertThrows(InvalidValueException.class, () -> PlainJson.readItem("{\"a\":"))
            .getMessage()
            .startsWith("The item is not valid JSON: "));
  }
}
