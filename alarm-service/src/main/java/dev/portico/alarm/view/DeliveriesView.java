package dev.portico.alarm.view;

import dev.portico.contracts.alarms.Delivery;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The newest deliveries and their states, for {@code GET /deliveries}: in local mode (no SMTP) that
 * is where held messages are read. Bounded: the oldest fall out past the limit.
 */
public final class DeliveriesView {
  private final Map<String, Delivery> deliveries;

  public DeliveriesView(int limit) {
    this.deliveries =
        Collections.synchronizedMap(
            new LinkedHashMap<>(1024, 0.75f, false) {
              @Override
              protected boolean removeEldestEntry(Map.Entry<String, Delivery> eldest) {
                return size() > limit;
              }
            });
  }

  void apply(String id, Delivery delivery) {
    if (delivery == null) {
      deliveries.remove(id);
    } else {
      // Keep the first-seen position: an update does not make a delivery newer.
      deliveries.put(id, delivery);
    }
  }

  public Delivery get(String id) {
    return deliveries.get(id);
  }

  /** Matching deliveries, newest first, at most {@code limit}. */
  public List<Delivery> query(Predicate<Delivery> filter, int limit) {
    List<Delivery> all;
    synchronized (deliveries) {
      all = new ArrayList<>(deliveries.values());
    }
    List<Delivery> out = new ArrayList<>();
    for (int i = all.size() - 1; i >= 0 && out.size() < limit; i--) {
      if (filter.test(all.get(i))) {
        out.add(all.get(i));
      }
    }
    return out;
  }
}
