package dev.portico.table.value;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DynamoJsonTest {
  static final String EVERY_TYPE =
      """
      {"id":{"S":"order-1"},
       "total":{"N":"12345678901234567890.123456789012345678"},
       "blob":{"B":"AAEC/w=="},
       "paid":{"BOOL":true},
       "note":{"NULL":true},
       "address":{"M":{"city":{"S":"Lyon"},"zip":{"N":"69001"}}},
       "lines":{"L":[{"S":"a"},{"N":"2"},{"L":[]},{"M":{}}]},
       "tags":{"SS":["red","blue"]},
       "sizes":{"NS":["1.5","-3","1E+30"]},
       "chunks":{"BS":["AA==","AQ=="]}}""";

  @Test
  void readsEveryTypeIntoItsTypedValue() {
    Map<String, AttributeValue> item = DynamoJson.readItem(json(EVERY_TYPE));

    assertEquals(new AttributeValue.S("order-1"), item.get("id"));
    assertEquals(
        new BigDecimal("12345678901234567890.123456789012345678"),
        ((AttributeValue.N) item.get("total")).value());
    assertEquals(AttributeValue.b(new byte[] {0, 1, 2, (byte) 0xFF}), item.get("blob"));
    assertEquals(AttributeValue.Bool.TRUE, item.get("paid"));
    assertEquals(AttributeValue.Null.NULL, item.get("note"));
    assertEquals(
        new AttributeValue.M(
            Map.of("city", AttributeValue.s("Lyon"), "zip", AttributeValue.n(69001))),
        item.get("address"));
    assertEquals(
        new AttributeValue.L(
            List.of(
                AttributeValue.s("a"),
                AttributeValue.n(2),
                new AttributeValue.L(List.of()),
                new AttributeValue.M(Map.of()))),
        item.get("lines"));
    assertEquals(new AttributeValue.SS(Set.of("blue", "red")), item.get("tags"));
    assertEquals(
        new AttributeValue.NS(
            Set.of(new BigDecimal("-3"), new BigDecimal("1.50"), new BigDecimal("1e30"))),
        item.get("sizes"));
    assertEquals(
        new AttributeValue.BS(Set.of(Bytes.of(new byte[] {0}), Bytes.of(new byte[] {1}))),
        item.get("chunks"));
  }

  @Test
  void writesWhatItReadsWithNumbersCanonical() {
    JsonNode written = DynamoJson.write(DynamoJson.readItem(json(EVERY_TYPE)));

    assertEquals(json(EVERY_TYPE.replace("\"1E+30\"", "\"1" + "0".repeat(30) + "\"")), written);
    assertEquals(DynamoJson.readItem(json(EVERY_TYPE)), DynamoJson.readItem(written));
  }

  @Test
  void setsAreEqualWhateverTheOrderOfTheirMembers() {
    assertEquals(
        DynamoJson.readValue(json("{\"NS\":[\"1\",\"2.0\"]}")),
        DynamoJson.readValue(json("{\"NS\":[\"2\",\"1\"]}")));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {}                          | Supplied AttributeValue is empty, must contain exactly one of the supported datatypes (at a)
          {"S":"x","N":"1"}           | Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes (at a)
          "x"                         | An attribute value must be a JSON object such as {"S":"text"} (at a)
          {"X":"x"}                   | Unknown attribute value type X; the types are S, N, B, BOOL, NULL, M, L, SS, NS and BS (at a)
          {"S":5}                     | The value of S must be a JSON string (at a)
          {"N":5}                     | The value of N must be a JSON string (at a)
          {"N":"five"}                | The parameter cannot be converted to a numeric value: five (at a)
          {"N":"1E+126"}              | Number overflow. Attempting to store a number with magnitude larger than supported range (at a)
          {"N":"1234567890123456789012345678901234567890"} | Attempting to store more than 38 significant digits in a Number (at a)
          {"B":"not base64!"}         | Invalid base64 in a binary value: Illegal base64 character 20 (at a)
          {"BOOL":"true"}             | The value of BOOL must be true or false (at a)
          {"NULL":false}              | One or more parameter values were invalid: Null attribute value types must have the value of true (at a)
          {"M":[]}                    | The value of M must be a JSON object (at a)
          {"L":{}}                    | The value of L must be a JSON array (at a)
          {"SS":[]}                   | One or more parameter values were invalid: An SS may not be empty (at a)
          {"SS":["x","x"]}            | One or more parameter values were invalid: Input collection [x, x] of type SS contains duplicates. (at a)
          {"NS":["1","1.0"]}          | One or more parameter values were invalid: Input collection [1, 1.0] of type NS contains duplicates. (at a)
          {"NS":[1]}                  | The value of NS member must be a JSON string (at a)
          {"BS":["AA==","AA=="]}      | One or more parameter values were invalid: Input collection [AA==, AA==] of type BS contains duplicates. (at a)
          {"M":{"b":{"L":[{"S":"ok"},{"N":"x"}]}}} | The parameter cannot be converted to a numeric value: x (at a.b[1])
          """)
  void refusesInvalidValuesNamingTheProblemAndWhereItIs(String value, String message) {
    InvalidValueException e =
        assertThrows(
            InvalidValueException.class, () -> DynamoJson.readItem(json("{\"a\":" + value + "}")));
    assertEquals(message, e.getMessage());
  }

  @Test
  void refusesAnItemThatIsNotAnObject() {
    assertEquals(
        "An item must be a JSON object of attribute values",
        assertThrows(InvalidValueException.class, () -> DynamoJson.readItem(json("[]")))
            .getMessage());
  }

  @Test
  void refusesDocumentsNestedDeeperThanDynamoDbAllows() {
    String ok = "{\"L\":[".repeat(31) + "]}".repeat(31);
    DynamoJson.readValue(json(ok));
    String deep = "{\"L\":[".repeat(33) + "]}".repeat(33);
    InvalidValueException e =
        assertThrows(InvalidValueException.class, () -> DynamoJson.readValue(json(deep)));
    assertEquals(true, e.getMessage().startsWith("Nesting Levels have exceeded supported limits"));
  }

  @Test
  void keepsTheOrderOfSetMembersAsWritten() {
    AttributeValue.SS tags = new AttributeValue.SS(new LinkedHashSet<>(List.of("b", "a", "c")));
    assertEquals(json("{\"SS\":[\"b\",\"a\",\"c\"]}"), DynamoJson.write(tags));
  }

  static JsonNode json(String text) {
    try {
      return PlainJson.MAPPER.readTree(text);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
