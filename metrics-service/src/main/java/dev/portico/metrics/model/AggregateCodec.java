package dev.portico.metrics.model;

import dev.portico.contracts.Sketches;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Binary encodings of the state stores' keys and values. Compact and fast because every request
 * event reads and writes an open cell; versioned by a leading byte so the format can evolve. Key
 * encodings are canonical (dimensions sorted), so equal ids have equal bytes.
 */
public final class AggregateCodec {
  private static final byte VERSION = 1;

  private AggregateCodec() {}

  public static Serde<Aggregate> aggregateSerde() {
    return Serdes.serdeFrom(
        (topic, value) -> value == null ? null : write(out -> writeAggregate(out, value)),
        (topic, bytes) -> bytes == null ? null : read(bytes, AggregateCodec::readAggregate));
  }

  public static Serde<Cell> cellSerde() {
    return Serdes.serdeFrom(
        (topic, value) -> value == null ? null : write(out -> writeCell(out, value)),
        (topic, bytes) -> bytes == null ? null : read(bytes, AggregateCodec::readCell));
  }

  public static Serde<MetricId> metricIdSerde() {
    return Serdes.serdeFrom(
        (topic, value) -> value == null ? null : encode(value),
        (topic, bytes) -> bytes == null ? null : read(bytes, AggregateCodec::readMetricId));
  }

  public static byte[] encode(MetricId id) {
    return write(
        out -> {
          out.writeUTF(id.namespace());
          out.writeUTF(id.metricName());
          writeDimensions(out, id.dimensions());
        });
  }

  public static byte[] encode(CellId id) {
    return write(
        out -> {
          out.writeUTF(id.namespace());
          writeDimensions(out, id.dimensions());
        });
  }

  public static CellId decodeCellId(byte[] bytes, int offset) {
    try (var in =
        new DataInputStream(new ByteArrayInputStream(bytes, offset, bytes.length - offset))) {
      return new CellId(in.readUTF(), readDimensions(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static MetricId readMetricId(DataInputStream in) throws IOException {
    return new MetricId(in.readUTF(), in.readUTF(), readDimensions(in));
  }

  private static void writeDimensions(DataOutputStream out, SortedMap<String, String> dimensions)
      throws IOException {
    out.writeByte(dimensions.size());
    for (var dimension : dimensions.entrySet()) {
      out.writeUTF(dimension.getKey());
      out.writeUTF(dimension.getValue());
    }
  }

  private static SortedMap<String, String> readDimensions(DataInputStream in) throws IOException {
    int count = in.readUnsignedByte();
    SortedMap<String, String> dimensions = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      dimensions.put(in.readUTF(), in.readUTF());
    }
    return dimensions;
  }

  private static void writeCell(DataOutputStream out, Cell cell) throws IOException {
    out.writeByte(VERSION);
    out.writeShort(cell.metrics().size());
    for (var metric : cell.metrics().entrySet()) {
      out.writeUTF(metric.getKey());
      writeAggregateBody(out, metric.getValue());
    }
  }

  private static Cell readCell(DataInputStream in) throws IOException {
    checkVersion(in);
    Cell cell = new Cell();
    int count = in.readUnsignedShort();
    for (int i = 0; i < count; i++) {
      cell.metrics().put(in.readUTF(), readAggregateBody(in));
    }
    return cell;
  }

  private static void writeAggregate(DataOutputStream out, Aggregate aggregate) throws IOException {
    out.writeByte(VERSION);
    writeAggregateBody(out, aggregate);
  }

  private static Aggregate readAggregate(DataInputStream in) throws IOException {
    checkVersion(in);
    return readAggregateBody(in);
  }

  private static void writeAggregateBody(DataOutputStream out, Aggregate aggregate)
      throws IOException {
    out.writeDouble(aggregate.sampleCount());
    out.writeDouble(aggregate.sum());
    out.writeDouble(aggregate.minimum());
    out.writeDouble(aggregate.maximum());
    out.writeUTF(aggregate.unit() == null ? "" : aggregate.unit());
    out.writeBoolean(aggregate.sketchComplete());
    if (aggregate.rawSketch() == null) {
      out.writeInt(-1);
    } else {
      byte[] sketch = Sketches.encode(aggregate.rawSketch());
      out.writeInt(sketch.length);
      out.write(sketch);
    }
  }

  private static Aggregate readAggregateBody(DataInputStream in) throws IOException {
    double sampleCount = in.readDouble();
    double sum = in.readDouble();
    double minimum = in.readDouble();
    double maximum = in.readDouble();
    String unit = in.readUTF();
    boolean sketchComplete = in.readBoolean();
    int sketchLength = in.readInt();
    var sketch = sketchLength < 0 ? null : Sketches.decode(in.readNBytes(sketchLength));
    return new Aggregate(
        sampleCount, sum, minimum, maximum, unit.isEmpty() ? null : unit, sketch, sketchComplete);
  }

  private static void checkVersion(DataInputStream in) throws IOException {
    byte version = in.readByte();
    if (version != VERSION) {
      throw new IOException("Unknown aggregate encoding version " + version);
    }
  }

  private interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  private interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  private static byte[] write(Writer writer) {
    var bytes = new ByteArrayOutputStream(64);
    try (var out = new DataOutputStream(bytes)) {
      writer.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static <T> T read(byte[] bytes, Reader<T> reader) {
    try (var in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      return reader.read(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
