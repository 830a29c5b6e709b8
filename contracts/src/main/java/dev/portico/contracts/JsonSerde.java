package dev.portico.contracts;

import com.fasterxml.jackson.databind.ObjectReader;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka serde for a message record: UTF-8 JSON through {@link Json#MAPPER}. */
public final class JsonSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {
  private final Class<T> type;
  // Resolved once: ObjectMapper.readValue(bytes, type) looks the type and its deserializer up on
  // every call, a measurable share of a high-rate consumer's CPU (docs/metrics.md, "Measured").
  private final ObjectReader reader;

  public JsonSerde(Class<T> type) {
    this.type = type;
    this.reader = Json.MAPPER.readerFor(type);
  }

  @Override
  public byte[] serialize(String topic, T data) {
    return data == null ? null : Json.toBytes(data);
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    try {
      return reader.readValue(data);
    } catch (Exception e) {
      throw new SerializationException("Not a " + type.getSimpleName() + " on " + topic, e);
    }
  }

  @Override
  public void configure(java.util.Map<String, ?> configs, boolean isKey) {}

  @Override
  public void close() {}

  @Override
  public Serializer<T> serializer() {
    return this;
  }

  @Override
  public Deserializer<T> deserializer() {
    return this;
  }
}
