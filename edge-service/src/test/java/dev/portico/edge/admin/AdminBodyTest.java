package dev.portico.edge.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.contracts.edge.StageSettings;
import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The admin API's body parser ({@link AdminBody}) and its field reads ({@link JsonFields}). */
class AdminBodyTest {
  static AdminBody body(String text) {
    return new AdminBody(text == null ? null : Buffer.buffer(text));
  }

  static List<String> problems(Executable call) {
    AdminException e = assertThrows(AdminException.class, call);
    assertEquals(400, e.status());
    return e.problems();
  }

  @Test
  void shouldRequireADocumentAndReturnItsBytesAsSent() {
    assertEquals(
        List.of("body: an OpenAPI 3 document (YAML or JSON) is required"),
        problems(() -> body(null).document()));
    assertEquals(
        List.of("body: an OpenAPI 3 document (YAML or JSON) is required"),
        problems(() -> body("").document()));
    assertArrayEquals("openapi: 3.0.3".getBytes(), body("openapi: 3.0.3").document());
    assertArrayEquals(new byte[0], body(null).bytes());
  }

  @Test
  void shouldRequireAJsonObjectUnlessOptional() {
    assertEquals(List.of("body: a JSON object is required"), problems(() -> body("").object()));
    assertFalse(body("").objectOrEmpty().has("stage"));
    assertEquals(List.of("body: must be a JSON object"), problems(() -> body("[1]").object()));
    assertEquals(List.of("body: must be a JSON object"), problems(() -> body("3").object()));
    List<String> notJson = problems(() -> body("{nope").objectOrEmpty());
    assertTrue(notJson.get(0).startsWith("body: not JSON: "), notJson.toString());
  }

  @Test
  void shouldReadARecordStrictlyNamingTheUnknownField() {
    StageSettings settings = body("{\"ipDeny\":[\"10.0.0.0/8\"]}").as(StageSettings.class);
    assertEquals(List.of("10.0.0.0/8"), settings.ipDeny());
    List<String> problems = problems(() -> body("{\"throtle\":{}}").as(StageSettings.class));
    assertEquals(1, problems.size());
    assertTrue(problems.get(0).startsWith("body: "), problems.toString());
    assertTrue(problems.get(0).contains("\"throtle\""), problems.toString());
    assertFalse(problems.get(0).contains("\n"), problems.toString());
  }

  @Test
  void shouldReadStringsAndFlagsAndRefuseOtherTypes() {
    JsonFields fields =
        body("{\"name\":\"a\",\"none\":null,\"n\":3,\"on\":true,\"off\":\"false\"}").object();
    assertEquals("a", fields.text("name"));
    assertNull(fields.text("none"));
    assertNull(fields.text("absent"));
    assertEquals(List.of("n: must be a string"), problems(() -> fields.text("n")));
    assertEquals(Boolean.TRUE, fields.flag("on"));
    assertEquals(Boolean.FALSE, fields.flag("off"));
    assertNull(fields.flag("absent"));
  }

  @Test
  void shouldReadAStringMapWhereNullRemovesOnlyWhenAllowed() {
    JsonFields fields = body("{\"v\":{\"a\":\"1\",\"b\":null},\"w\":[1],\"x\":{\"c\":2}}").object();
    Map<String, String> patch = new HashMap<>();
    patch.put("a", "1");
    patch.put("b", null);
    assertEquals(patch, fields.strings("v", true));
    assertEquals(List.of("v.b: must be a string"), problems(() -> fields.strings("v", false)));
    assertEquals(
        List.of("w: must be an object of strings"), problems(() -> fields.strings("w", false)));
    assertEquals(List.of("x.c: must be a string"), problems(() -> fields.strings("x", true)));
    assertEquals(Map.of(), fields.strings("absent", false));
  }
}
