package dev.portico.customer.state;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The state of one partition of the table service: a RocksDB database of committed state, and an
 * overlay of what the open transaction changed. Reads see the overlay first; scans merge both in
 * key order. {@link #commit} applies the overlay and the changelog position it corresponds to in
 * one atomic write batch, so the database never holds a change its changelog lacks, and a restart
 * after a crash restores only the changelog's tail.
 *
 * <p>Keys order bytewise (UTF-8 code point order), as RocksDB's default comparator does.
 */
public final class PartitionStore implements AutoCloseable {
  /** Where the committed state ends in the changelog; local only, never in the changelog. */
  private static final byte[] CHECKPOINT = "~checkpoint".getBytes(StandardCharsets.UTF_8);

  private static final byte[] DELETED = new byte[0];

  private final int partition;
  private final RocksDB db;
  private final WriteOptions writeOptions = new WriteOptions();
  private final NavigableMap<byte[], byte[]> overlay = new TreeMap<>(Arrays::compareUnsigned);
  private long checkpoint;

  PartitionStore(int partition, Path dir, Rocks rocks) {
    this.partition = partition;
    this.db = rocks.open(dir);
    byte[] stored = read(CHECKPOINT);
    this.checkpoint =
        stored == null ? 0 : Long.parseLong(new String(stored, StandardCharsets.UTF_8));
  }

  public int partition() {
    return partition;
  }

  /** The next changelog offset to restore from: everything before it is in the database. */
  public long checkpoint() {
    return checkpoint;
  }

  public byte[] get(byte[] key) {
    byte[] pending = overlay.get(key);
    if (pending != null) {
      return pending == DELETED ? null : pending;
    }
    return read(key);
  }

  public void put(byte[] key, byte[] value) {
    overlay.put(key, value);
  }

  public void delete(byte[] key) {
    overlay.put(key, DELETED);
  }

  /**
   * Visits entries with {@code from <= key < to} in key order (overlay merged over the database,
   * deletions skipped) until the visitor returns false.
   */
  public void scan(byte[] from, byte[] to, BiPredicate<byte[], byte[]> visitor) {
    Iterator<Map.Entry<byte[], byte[]>> pending =
        overlay.subMap(from, true, to, false).entrySet().iterator();
    Map.Entry<byte[], byte[]> next = pending.hasNext() ? pending.next() : null;
    try (RocksIterator stored = db.newIterator()) {
      stored.seek(from);
      while (true) {
        byte[] storedKey =
            stored.isValid() && Arrays.compareUnsigned(stored.key(), to) < 0 ? stored.key() : null;
        if (storedKey == null && next == null) {
          return;
        }
        int order =
            storedKey == null
                ? 1
                : next == null ? -1 : Arrays.compareUnsigned(storedKey, next.getKey());
        byte[] key;
        byte[] value;
        if (order < 0) {
          key = storedKey;
          value = stored.value();
          stored.next();
        } else {
          key = next.getKey();
          value = next.getValue();
          next = pending.hasNext() ? pending.next() : null;
          if (order == 0) {
            stored.next(); // the overlay's version wins
          }
        }
        if (value != DELETED && !visitor.test(key, value)) {
          return;
        }
      }
    }
  }

  /** True when the open transaction changed something here. */
  public boolean dirty() {
    return !overlay.isEmpty();
  }

  /** What the open transaction changed: key to new value, {@code null} for a deletion. */
  public void forEachChange(java.util.function.BiConsumer<byte[], byte[]> change) {
    overlay.forEach((key, value) -> change.accept(key, value == DELETED ? null : value));
  }

  /** The transaction committed and its changelog records end before {@code changelogEnd}. */
  public void commit(long changelogEnd) {
    try (WriteBatch batch = new WriteBatch()) {
      for (Map.Entry<byte[], byte[]> e : overlay.entrySet()) {
        if (e.getValue() == DELETED) {
          batch.delete(e.getKey());
        } else {
          batch.put(e.getKey(), e.getValue());
        }
      }
      putCheckpoint(batch, Math.max(checkpoint, changelogEnd));
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new StateException("partition " + partition + ": commit failed", e);
    }
    checkpoint = Math.max(checkpoint, changelogEnd);
    overlay.clear();
  }

  /** The transaction aborted: its changes are forgotten. */
  public void discard() {
    overlay.clear();
  }

  /** Applies restored changelog records (key, value or null) ending before {@code next}. */
  public void restore(Iterable<Map.Entry<byte[], byte[]>> records, long next) {
    try (WriteBatch batch = new WriteBatch()) {
      for (Map.Entry<byte[], byte[]> r : records) {
        if (r.getValue() == null) {
          batch.delete(r.getKey());
        } else {
          batch.put(r.getKey(), r.getValue());
        }
      }
      putCheckpoint(batch, next);
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new StateException("partition " + partition + ": restore failed", e);
    }
    checkpoint = next;
  }

  /** Forgets everything (the changelog was reset under us): the next restore starts from 0. */
  public void wipe() {
    try (WriteBatch batch = new WriteBatch();
        RocksIterator all = db.newIterator()) {
      for (all.seekToFirst(); all.isValid(); all.next()) {
        batch.delete(all.key());
      }
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new StateException("partition " + partition + ": wipe failed", e);
    }
    checkpoint = 0;
    overlay.clear();
  }

  private void putCheckpoint(WriteBatch batch, long value) throws RocksDBException {
    batch.put(CHECKPOINT, Long.toString(value).getBytes(StandardCharsets.UTF_8));
  }

  private byte[] read(byte[] key) {
    try {
      return db.get(key);
    } catch (RocksDBException e) {
      throw new StateException("partition " + partition + ": read failed", e);
    }
  }

  @Override
  public void close() {
    overlay.clear();
    writeOptions.close();
    db.close();
  }
}
