package dev.portico.contracts;

import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a topic's values are written and read. Most topics carry one record type as UTF-8 JSON; a few
 * carry raw bytes (a state changelog) or a type that depends on the key (the gateway config, the
 * usage counters). Readers are resolved once per type: {@code ObjectMapper.readValue(bytes, type)}
 * looks the type and its deserializer up on every call, a measurable share of a high-rate
 * consumer's CPU.
 */
public interface TopicCodec<V> {
  byte[] encode(V value);

  /**
   * The value of a record with this key; {@code bytes} is never null (a tombstone has no value).
   *
   * @throws IllegalArgumentException when the bytes are not what the topic carries
   */
  V decode(String key, byte[] bytes);

  /** UTF-8 JSON of one record type, through {@link Json#MAPPER}. */
  static <V> TopicCodec<V> json(Class<V> type) {
    ObjectReader reader = Json.MAPPER.readerFor(type);
    return new TopicCodec<>() {
      @Override
      public byte[] encode(V value) {
        return Json.toBytes(value);
      }

      @Override
      public V decode(String key, byte[] bytes) {
        return read(reader, bytes, type);
      }
    };
  }

  /** The bytes as they are. */
  static TopicCodec<byte[]> bytes() {
    return new TopicCodec<>() {
      @Override
      public byte[] encode(byte[] value) {
        return value;
      }

      @Override
      public byte[] decode(String key, byte[] bytes) {
        return bytes;
      }
    };
  }

  /**
   * UTF-8 JSON whose record type the key's prefix names ({@code api/} an API, {@code stage/} a
   * stage...). A key with no listed prefix is refused.
   */
  static <V> TopicCodec<V> byKeyPrefix(Map<String, Class<? extends V>> types) {
    Map<String, ObjectReader> readers = new LinkedHashMap<>();
    types.forEach((prefix, type) -> readers.put(prefix, Json.MAPPER.readerFor(type)));
    return new TopicCodec<>() {
      @Override
      public byte[] encode(V value) {
        return Json.toBytes(value);
      }

      @Override
      public V decode(String key, byte[] bytes) {
        if (key != null) {
          for (var entry : readers.entrySet()) {
            if (key.startsWith(entry.getKey())) {
              return read(entry.getValue(), bytes, types.get(entry.getKey()));
            }
          }
        }
        throw new IllegalArgumentException(
            "No record type for the key '" + key + "'; known prefixes: " + types.keySet());
      }
    };
  }

  private static <V> V read(ObjectReader reader, byte[] bytes, Class<?> type) {
    try {
      return reader.readValue(bytes);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Not a " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }
}
