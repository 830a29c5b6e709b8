package dev.portico.metrics.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.portico.contracts.Json;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/** Reads a request body into a record, turning every parse or type error into a precise 400. */
final class JsonBody {
  private JsonBody() {}

  static <T> T read(Buffer body, Class<T> type) {
    if (body == null || body.length() == 0) {
      throw new BadRequest("A JSON body is required");
    }
    T value;
    try {
      value = Json.MAPPER.readValue(body.getBytes(), type);
    } catch (JsonMappingException e) {
      throw new BadRequest(path(e) + firstLine(e.getOriginalMessage()));
    } catch (JsonProcessingException e) {
      throw new BadRequest("The body is not valid JSON: " + firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new BadRequest("The body could not be read: " + e.getMessage());
    }
    if (value == null) {
      throw new BadRequest("The body must be a JSON object");
    }
    return value;
  }

  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (var reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.length() == 0 ? "" : path + ": ";
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "malformed";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
