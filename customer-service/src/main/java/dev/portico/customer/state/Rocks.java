package dev.portico.customer.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBufferManager;

/**
 * RocksDB settings shared by every partition of one service: one block cache and one write-buffer
 * budget for all of them, so memory stays bounded however many partitions a replica holds
 * (RocksDB's defaults, a 64 MiB memtable and an 8 MiB cache per database, grow with the partition
 * count).
 */
public final class Rocks implements AutoCloseable {
  static {
    RocksDB.loadLibrary();
  }

  private final LRUCache cache;
  private final WriteBufferManager writeBuffers;
  private final Options options;

  /**
   * @param memoryBytes block cache plus memtables of all partitions together
   */
  public Rocks(long memoryBytes) {
    this.cache = new LRUCache(memoryBytes);
    // Memtables count against the same cache, so the total is the budget.
    this.writeBuffers = new WriteBufferManager(memoryBytes / 2, cache);
    BlockBasedTableConfig table = new BlockBasedTableConfig();
    table.setBlockCache(cache);
    table.setCacheIndexAndFilterBlocks(true);
    this.options =
        new Options()
            .setCreateIfMissing(true)
            .setWriteBufferManager(writeBuffers)
            .setWriteBufferSize(Math.max(1 << 20, memoryBytes / 8))
            .setMaxWriteBufferNumber(2)
            .setMaxBackgroundJobs(1)
            .setKeepLogFileNum(2)
            .setTableFormatConfig(table);
  }

  RocksDB open(Path dir) {
    try {
      Files.createDirectories(dir);
      return RocksDB.open(options, dir.toString());
    } catch (IOException | RocksDBException e) {
      throw new StateException("Cannot open the state store in " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    options.close();
    writeBuffers.close();
    cache.close();
  }
}
