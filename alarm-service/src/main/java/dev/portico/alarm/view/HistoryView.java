package dev.portico.alarm.view;

import dev.portico.contracts.alarms.HistoryItem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Alarm history as the history topic holds it (two weeks), also for deleted alarms, ordered by
 * time. Entries older than the retention are dropped as new ones arrive.
 */
public final class HistoryView {
  /** Items are ordered by timestamp, then by arrival, so equal timestamps keep their order. */
  private record Key(long timestamp, long sequence) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      int byTime = Long.compare(timestamp, o.timestamp);
      return byTime != 0 ? byTime : Long.compare(sequence, o.sequence);
    }
  }

  private final ConcurrentSkipListMap<Key, HistoryItem> items = new ConcurrentSkipListMap<>();
  private final AtomicLong sequence = new AtomicLong();
  private final Duration retention;

  public HistoryView(Duration retention) {
    this.retention = retention;
  }

  void apply(HistoryItem item, long now) {
    items.put(new Key(item.timestamp(), sequence.incrementAndGet()), item);
    items.headMap(new Key(now - retention.toMillis(), 0)).clear();
  }

  /**
   * Matching items, newest first unless {@code ascending}, skipping the first {@code skip}, at most
   * {@code limit}.
   */
  public List<HistoryItem> query(
      Predicate<HistoryItem> filter, boolean ascending, int skip, int limit) {
    List<HistoryItem> out = new ArrayList<>();
    int skipped = 0;
    for (HistoryItem item : ascending ? items.values() : items.descendingMap().values()) {
      if (!filter.test(item)) {
        continue;
      }
      if (skipped < skip) {
        skipped++;
        continue;
      }
      if (out.size() == limit) {
        break;
      }
      out.add(item);
    }
    return out;
  }
}
