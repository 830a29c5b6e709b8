package dev.portico.edge.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The mapping logic alone: rules read from JSON, applied to sources built by hand. */
class ParameterMappingTest {
  static final MappingSources SOURCES =
      new MappingSources(
          "/items/a%20b",
          Map.of("id", "a b"),
          List.of(
              Map.entry("X-User", "ann"),
              Map.entry("x-user", "bob"),
              Map.entry("x-drop", "gone"),
              Map.entry("Accept", "text/plain")),
          List.of(Map.entry("q", "1"), Map.entry("q", "2"), Map.entry("Q", "upper")),
          Map.of("env", "prod", "version", "v2"),
          Map.of("requestId", "req-1", "stage", "live", "identity.sourceIp", "10.0.0.1"),
          Map.of("tenant", "acme", "claims", Map.of("sub", "user-7"), "level", 3));

  static ParameterMapping read(String requestJson, String responseJson) {
    List<String> problems = new ArrayList<>();
    ParameterMapping mapping =
        MappingReader.read(json(requestJson), json(responseJson), "at", problems);
    assertEquals(List.of(), problems);
    return mapping;
  }

  static List<String> problems(String requestJson, String responseJson) {
    List<String> problems = new ArrayList<>();
    MappingReader.read(json(requestJson), json(responseJson), "at", problems);
    return problems;
  }

  static JsonNode json(String text) {
    try {
      return text == null ? null : Json.MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void shouldApplyTheRulesInTheOrderWrittenReadingTheRequestAsSent() {
    ParameterMapping mapping =
        read(
            """
            {"remove:header.x-user": "",
             "append:header.x-seen-user": "$request.header.x-user",
             "overwrite:header.x-env": "$stageVariables.env",
             "append:header.x-env": "${stageVariables.version}-${context.stage}",
             "overwrite:header.x-tenant": "$context.authorizer.tenant",
             "overwrite:header.x-sub": "sub=${context.authorizer.claims.sub}",
             "overwrite:header.x-level": "$context.authorizer.level",
             "remove:header.X-DROP": "''",
             "overwrite:querystring.q": "$request.querystring.q",
             "append:querystring.id": "$request.path.id",
             "remove:querystring.Q": "",
             "overwrite:path": "/v2/${request.path.id}/${context.requestId}"}
            """,
            null);
    ParameterMapping.MappedRequest out = mapping.mapRequest(SOURCES);
    assertEquals(
        List.of(
            Map.entry("Accept", "text/plain"),
            // The value is read from the request as sent: removed before, still there to read.
            Map.entry("x-seen-user", "ann,bob"),
            Map.entry("x-env", "prod"),
            Map.entry("x-env", "v2-live"),
            Map.entry("x-tenant", "acme"),
            Map.entry("x-sub", "sub=user-7"),
            Map.entry("x-level", "3")),
        out.headers());
    assertEquals(List.of(Map.entry("q", "1,2"), Map.entry("id", "a b")), out.query());
    assertEquals("q=1%2C2&id=a%20b", out.rawQuery());
    // References are encoded into a path; the literal text stays as written.
    assertEquals("/v2/a%20b/req-1", out.path());
  }

  @Test
  void shouldLeaveWhatNoRuleTouchesAlone() {
    ParameterMapping.MappedRequest out =
        read("{\"overwrite:header.x-a\": \"1\"}", null).mapRequest(SOURCES);
    assertNull(out.query());
    assertNull(out.path());
    assertEquals(5, out.headers().size());
  }

  @Test
  void shouldSkipARuleWhoseValueComesOutEmptyOrWithALineBreak() {
    MappingSources withBreak =
        new MappingSources(
            "/",
            Map.of(),
            List.of(),
            List.of(),
            Map.of(),
            Map.of(),
            Map.of("evil", "a\r\nset-cookie: x"));
    ParameterMapping mapping =
        read(
            """
            {"overwrite:header.x-missing": "$request.header.nope",
             "overwrite:header.x-empty-var": "${stageVariables.nope}",
             "overwrite:header.x-evil": "$context.authorizer.evil",
             "overwrite:header.x-deep": "$context.authorizer.claims.sub.more",
             "overwrite:path": "$request.path.nope",
             "overwrite:header.x-kept": "k"}
            """,
            null);
    ParameterMapping.MappedRequest out = mapping.mapRequest(withBreak);
    assertEquals(List.of(Map.entry("x-kept", "k")), out.headers());
    assertNull(out.path());
  }

  @Test
  void shouldMapTheResponseOfTheStatusesItHasRulesFor() {
    ParameterMapping mapping =
        read(
            null,
            """
            {"200": {"overwrite:statuscode": "204",
                     "append:header.x-stage": "$context.stage",
                     "overwrite:header.x-copy": "backend said ${response.header.x-backend}",
                     "remove:header.x-backend": "",
                     "overwrite:header.x-who": "$context.authorizer.claims.sub"},
             "404": {"overwrite:statuscode": "$response.header.x-status"}}
            """);
    var ok =
        mapping.mapResponse(
            200,
            List.of(Map.entry("X-Backend", "b1"), Map.entry("content-type", "text/plain")),
            SOURCES);
    assertEquals(204, ok.status());
    assertEquals(
        List.of(
            Map.entry("content-type", "text/plain"),
            Map.entry("x-stage", "live"),
            Map.entry("x-copy", "backend said b1"),
            Map.entry("x-who", "user-7")),
        ok.headers());
    assertNull(mapping.mapResponse(500, List.of(), SOURCES));
    assertEquals(
        410, mapping.mapResponse(404, List.of(Map.entry("x-status", "410")), SOURCES).status());
    // A value that is not a status leaves the status alone.
    assertEquals(
        404, mapping.mapResponse(404, List.of(Map.entry("x-status", "gone")), SOURCES).status());
  }

  @Test
  void shouldReportEveryKeyAndValueItCannotTake() {
    List<String> problems =
        problems(
            """
            {"overwrite:header.authorization": "x",
             "append:header.X-Forwarded-For": "x",
             "remove:header.x-amz-date": "",
             "overwrite:header.access-control-allow-origin": "*",
             "set:header.x": "x",
             "append:path": "/x",
             "overwrite:header.bad name": "x",
             "overwrite:header.x-body": "$request.body.name",
             "overwrite:header.x-ctx": "$context.nope",
             "overwrite:header.x-resp": "$response.header.a",
             "overwrite:header.x-brace": "${request.header.a",
             "overwrite:header.x-empty": "",
             "overwrite:querystring.q": {"not": "text"},
             "overwrite:path": "/a?b=1"}
            """,
            """
            {"99": {"overwrite:header.x": "1"},
             "200": {"overwrite:statuscode": "abc", "overwrite:header.x-req": "$request.header.a",
                     "overwrite:querystring.q": "1", "overwrite:header.content-length": "1"},
             "201": "not an object"}
            """);
    List<String> expected =
        List.of(
            "at.requestParameters.overwrite:header.authorization: authorization is a reserved"
                + " header and cannot be mapped",
            "at.requestParameters.append:header.X-Forwarded-For: X-Forwarded-For is a reserved"
                + " header and cannot be mapped",
            "at.requestParameters.remove:header.x-amz-date: x-amz-date is a reserved header and"
                + " cannot be mapped",
            "at.requestParameters.overwrite:header.access-control-allow-origin:"
                + " access-control-allow-origin is a reserved header and cannot be mapped",
            "at.requestParameters.set:header.x: not a mapping key",
            "at.requestParameters.append:path: not a mapping key",
            "at.requestParameters.overwrite:header.bad name: 'bad name' is not a header name",
            "at.requestParameters.overwrite:header.x-body: $request.body.name: the request body"
                + " cannot be mapped",
            "at.requestParameters.overwrite:header.x-ctx: $context.nope: unknown",
            "at.requestParameters.overwrite:header.x-resp: a request mapping cannot read the"
                + " response",
            "at.requestParameters.overwrite:header.x-brace: '${' without its '}'",
            "at.requestParameters.overwrite:header.x-empty: the value must not be empty",
            "at.requestParameters.overwrite:querystring.q: the value must be a string",
            "at.requestParameters.overwrite:path: a path has no query or fragment",
            "at.responseParameters.99: the key must be a status code 200 to 599",
            "at.responseParameters.200.overwrite:statuscode: must be a status code 100 to 599",
            "at.responseParameters.200.overwrite:header.x-req: a response mapping cannot read the"
                + " request",
            "at.responseParameters.200.overwrite:querystring.q: not a mapping key",
            "at.responseParameters.200.overwrite:header.content-length: content-length is a"
                + " reserved header",
            "at.responseParameters.201: must be an object of mappings");
    assertEquals(expected.size(), problems.size(), String.join("\n", problems));
    for (int i = 0; i < expected.size(); i++) {
      assertTrue(
          problems.get(i).startsWith(expected.get(i)),
          "expected " + expected.get(i) + "\n got " + problems.get(i));
    }
  }

  @Test
  void shouldReadNothingAsNoMapping() {
    assertTrue(read(null, null).isEmpty());
    assertTrue(read("{}", "{}").isEmpty());
  }
}
