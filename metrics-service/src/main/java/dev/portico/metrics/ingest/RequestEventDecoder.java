package dev.portico.metrics.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.portico.contracts.Json;
import dev.portico.contracts.RequestEvent;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a {@link RequestEvent} from {@code gateway.requests} for the metrics, and only what they
 * use: {@code time}, {@code api}, {@code stage}, {@code routeKey}, {@code method}, {@code
 * resource}, {@code status}, {@code latencyMs}, {@code integrationLatencyMs}, {@code
 * integrationType}, {@code cacheHit}, {@code errorType}, {@code eventType}, {@code function},
 * {@code functionOutcome}, {@code functionDurationMs}. Every other field is skipped without being
 * decoded and is {@code null} (or 0, false) in the result.
 *
 * <p>Why: decoding the event with Jackson's data binding (a record through its canonical
 * constructor, 23 properties, most of them strings the metrics never read) was about a third of the
 * stream thread's CPU per event; this streaming read is several times cheaper (docs/metrics.md,
 * "Measured"). It accepts what the data binding of {@link Json#MAPPER} accepts for these fields
 * (unknown fields ignored, numbers given as strings, {@code null} for a number is 0), refuses what
 * it refuses (not an object, trailing tokens, an object or array where a value is expected) with a
 * {@link SerializationException}, so Streams' deserialization handler drops the record as before;
 * {@code RequestEventDecoderTest} compares both on varied events.
 */
public final class RequestEventDecoder implements Deserializer<RequestEvent> {
  private final JsonFactory factory = Json.MAPPER.getFactory();

  @Override
  public RequestEvent deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    try (JsonParser parser = factory.createParser(data)) {
      RequestEvent event = read(parser);
      if (parser.nextToken() != null) {
        throw new IOException("trailing tokens after the event");
      }
      return event;
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("Not a RequestEvent on " + topic, e);
    }
  }

  private static RequestEvent read(JsonParser parser) throws IOException {
    JsonToken first = parser.nextToken();
    if (first == JsonToken.VALUE_NULL) {
      return null;
    }
    if (first != JsonToken.START_OBJECT) {
      throw new IOException("expected an object, got " + first);
    }
    long time = 0;
    String api = null;
    String stage = null;
    String routeKey = null;
    String method = null;
    String resource = null;
    int status = 0;
    double latencyMs = 0;
    double integrationLatencyMs = 0;
    String integrationType = null;
    Boolean cacheHit = null;
    String errorType = null;
    String eventType = null;
    String function = null;
    String functionOutcome = null;
    Double functionDurationMs = null;
    String name;
    while ((name = parser.nextFieldName()) != null) {
      JsonToken value = parser.nextToken();
      switch (name) {
        case "time" -> time = longValue(parser, value);
        case "api" -> api = text(parser, value);
        case "stage" -> stage = text(parser, value);
        case "routeKey" -> routeKey = text(parser, value);
        case "method" -> method = text(parser, value);
        case "resource" -> resource = text(parser, value);
        case "status" -> status = (int) longValue(parser, value);
        case "latencyMs" -> latencyMs = doubleValue(parser, value);
        case "integrationLatencyMs" -> integrationLatencyMs = doubleValue(parser, value);
        case "integrationType" -> integrationType = text(parser, value);
        case "cacheHit" -> cacheHit = bool(parser, value);
        case "errorType" -> errorType = text(parser, value);
        case "eventType" -> eventType = text(parser, value);
        case "function" -> function = text(parser, value);
        case "functionOutcome" -> functionOutcome = text(parser, value);
        case "functionDurationMs" ->
            functionDurationMs = value == JsonToken.VALUE_NULL ? null : doubleValue(parser, value);
        default -> parser.skipChildren();
      }
    }
    if (parser.currentToken() != JsonToken.END_OBJECT) {
      throw new IOException("expected a field name, got " + parser.currentToken());
    }
    return new RequestEvent(
        null,
        time,
        api,
        stage,
        null,
        false,
        routeKey,
        method,
        resource,
        null,
        status,
        latencyMs,
        integrationLatencyMs,
        integrationType,
        null,
        0,
        null,
        null,
        null,
        cacheHit,
        errorType,
        eventType,
        null,
        function,
        functionOutcome,
        functionDurationMs);
  }

  private static String text(JsonParser parser, JsonToken token) throws IOException {
    return switch (token) {
      case VALUE_NULL -> null;
      case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE ->
          parser.getText();
      default -> throw new IOException("expected a string, got " + token);
    };
  }

  private static long longValue(JsonParser parser, JsonToken token) throws IOException {
    return switch (token) {
      case VALUE_NULL -> 0;
      case VALUE_NUMBER_INT -> parser.getLongValue();
      case VALUE_NUMBER_FLOAT -> (long) parser.getDoubleValue();
      case VALUE_STRING -> {
        String text = parser.getText().trim();
        yield text.isEmpty() ? 0 : (long) Double.parseDouble(text);
      }
      default -> throw new IOException("expected a number, got " + token);
    };
  }

  private static double doubleValue(JsonParser parser, JsonToken token) throws IOException {
    return switch (token) {
      case VALUE_NULL -> 0;
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
      case VALUE_STRING -> {
        String text = parser.getText().trim();
        yield text.isEmpty() ? 0 : Double.parseDouble(text);
      }
      default -> throw new IOException("expected a number, got " + token);
    };
  }

  private static Boolean bool(JsonParser parser, JsonToken token) throws IOException {
    return switch (token) {
      case VALUE_NULL -> null;
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_STRING -> {
        String text = parser.getText().trim();
        if (text.equalsIgnoreCase("true")) {
          yield Boolean.TRUE;
        }
        if (text.equalsIgnoreCase("false")) {
          yield Boolean.FALSE;
        }
        if (text.isEmpty()) {
          yield null;
        }
        throw new IOException("expected a boolean, got \"" + text + "\"");
      }
      case VALUE_NUMBER_INT -> parser.getLongValue() != 0;
      default -> throw new IOException("expected a boolean, got " + token);
    };
  }
}
