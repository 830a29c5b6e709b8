package dev.portico.metrics.aggregation;

import dev.portico.contracts.MetricDatapoint;
import dev.portico.metrics.ingest.CellSample;
import dev.portico.metrics.ingest.DatumRules;
import dev.portico.metrics.ingest.MetricSample;
import dev.portico.metrics.model.Aggregate;
import dev.portico.metrics.model.AggregateCodec;
import dev.portico.metrics.model.Cell;
import dev.portico.metrics.model.CellId;
import dev.portico.metrics.model.MetricId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Aggregates samples into periods and emits each period once, when it is final.
 *
 * <p>The rule it enforces: a period of tier T starting at s is final once the clock passes s + T +
 * grace(T), and its datapoint is emitted then, once. A sample arriving for a final period is
 * counted as late and only amends the stored statistics that queries read, never an emitted
 * datapoint. Raw samples feed the 1-minute tier (and the 1-second tier for high-resolution
 * metrics); a final minute is merged into its 5-minute period, a final 5-minute period into its
 * hour, so rollups never re-read raw samples. Gateway cells are also counted in their coarser cells
 * ({@code rollup}) when a base period closes.
 *
 * <p>Everything it reads and writes is in changelogged stores and its output goes to Kafka in the
 * same exactly-once transaction as its input offsets, so a crash or restart neither loses a sample
 * nor emits a datapoint twice. The time that closes periods only moves forward: it is kept in a
 * store ({@code watermark}) and a period is closed at most once.
 */
public final class WindowAggregator<V> implements Processor<String, V, String, MetricDatapoint> {
  private static final String WATERMARK_KEY = "closed-through";

  private final Function<V, Optional<CellSample>> toSample;
  private final Function<CellId, List<CellId>> rollup;
  private final AggregationSettings settings;
  private final MetricStores stores;
  private final AggregationCounters counters;

  private ProcessorContext<String, MetricDatapoint> context;
  private KeyValueStore<Bytes, Cell> open;
  private KeyValueStore<String, Long> watermarkStore;
  private MetricIndex index;
  private final Map<Tier, WindowStore<MetricId, Aggregate>> tiers = new EnumMap<>(Tier.class);
  private final Map<Tier, Long> scanFrom = new EnumMap<>(Tier.class);
  private final CellKeys.Cache cellKeys = new CellKeys.Cache();
  private Long watermark;
  private boolean emittedSinceCheck;
  private boolean closedSinceCheck;

  public WindowAggregator(
      Function<V, Optional<CellSample>> toSample,
      Function<CellId, List<CellId>> rollup,
      AggregationSettings settings,
      MetricStores stores,
      AggregationCounters counters) {
    this.toSample = toSample;
    this.rollup = rollup;
    this.settings = settings;
    this.stores = stores;
    this.counters = counters;
  }

  @Override
  public void init(ProcessorContext<String, MetricDatapoint> context) {
    this.context = context;
    open = context.getStateStore(stores.open());
    watermarkStore = context.getStateStore(stores.watermark());
    index = new MetricIndex(context.getStateStore(stores.index()));
    for (Tier tier : Tier.values()) {
      tiers.put(tier, context.getStateStore(stores.tier(tier)));
      // After a restart, scan every open period once: the grace may have changed.
      scanFrom.put(tier, 0L);
    }
    watermark = null;
    context.schedule(
        settings.closeInterval(), PunctuationType.WALL_CLOCK_TIME, t -> closeFinalPeriods());
    // Deletes the oldest aggregates while the state is over its disk budget.
    BudgetEnforcer.schedule(context, stores, settings);
  }

  @Override
  public void process(Record<String, V> record) {
    Optional<CellSample> maybeSample = toSample.apply(record.value());
    if (maybeSample.isEmpty()) {
      counters.invalid();
      return;
    }
    CellSample sample = maybeSample.get();
    long now = now();
    // PutMetricData's time limits, for every input: a timestamp far off would hold a period open
    // for ever (or be older than any retention).
    if (sample.timestamp() < now - DatumRules.MAX_AGE.toMillis()
        || sample.timestamp() > now + DatumRules.MAX_AHEAD.toMillis()) {
      counters.invalid();
      return;
    }
    counters.ingested();
    if (sample.metrics().isEmpty()) {
      // Understood but nothing to count (a WebSocket DISCONNECT).
      return;
    }
    CellKeys cell = cellKeys.of(sample.cell());
    if (sample.highResolution()) {
      add(Tier.SECOND, sample, cell, now);
    }
    add(Tier.MINUTE, sample, cell, now);
  }

  private void add(Tier tier, CellSample sample, CellKeys cellKeys, long now) {
    long start = tier.windowStart(sample.timestamp());
    if (start > settings.lastFinalStart(tier, now)) {
      addToOpenPeriod(cellKeys.openKey(tier, start), sample);
    } else {
      counters.late(tier);
      amendFinalPeriod(tier, start, sample, now);
    }
  }

  private void addToOpenPeriod(Bytes key, CellSample sample) {
    Cell cell = open.get(key);
    if (cell == null) {
      cell = new Cell();
    }
    for (MetricSample metric : sample.metrics()) {
      metric.addTo(cell.metric(metric.name()));
    }
    open.put(key, cell);
  }

  /**
   * A sample for a period that is already final (PutMetricData accepts timestamps up to two weeks
   * old): it is added to the stored statistics that queries read, and to the open rollup above it,
   * but the period's datapoint was emitted once and is never emitted again.
   */
  private void amendFinalPeriod(Tier tier, long start, CellSample sample, long now) {
    Cell late = new Cell();
    for (MetricSample metric : sample.metrics()) {
      metric.addTo(late.metric(metric.name()));
    }
    Map<CellId, Cell> cells = new LinkedHashMap<>();
    cells.put(sample.cell(), late);
    for (CellId coarser : rollup.apply(sample.cell())) {
      cells.put(coarser, late);
    }
    Optional<Tier> current = Optional.of(tier);
    while (current.isPresent()) {
      Tier t = current.get();
      long tStart = t.windowStart(start);
      if (t != tier && tStart > settings.lastFinalStart(t, now)) {
        // The rollup is still open: it carries the sample up when it closes.
        cells.forEach((id, cell) -> mergeIntoOpen(t, tStart, id, cell));
        return;
      }
      amendStored(t, tStart, cells);
      current = t.rollsUpInto();
    }
  }

  private void amendStored(Tier tier, long start, Map<CellId, Cell> cells) {
    WindowStore<MetricId, Aggregate> store = tiers.get(tier);
    for (var cell : cells.entrySet()) {
      for (var metric : cell.getValue().metrics().entrySet()) {
        MetricId id = cell.getKey().metric(metric.getKey());
        Aggregate stored = store.fetch(id, start);
        Aggregate amended = stored == null ? new Aggregate() : stored;
        amended.merge(metric.getValue());
        store.put(id, amended, start);
        if (tier == Tier.MINUTE) {
          index.hadDataAt(id, start);
        }
      }
    }
  }

  private void mergeIntoOpen(Tier tier, long start, CellId cellId, Cell cell) {
    Bytes key = OpenKey.of(tier, start, AggregateCodec.encode(cellId));
    Cell existing = open.get(key);
    if (existing == null) {
      existing = new Cell();
    }
    existing.merge(cell);
    open.put(key, existing);
  }

  /** The clock, never behind the time periods were already closed at. */
  private long now() {
    if (watermark == null) {
      Long stored = watermarkStore.get(WATERMARK_KEY);
      watermark = stored == null ? Long.MIN_VALUE : stored;
    }
    return Math.max(settings.clock().millis(), watermark);
  }

  private void closeFinalPeriods() {
    long now = now();
    emittedSinceCheck = false;
    closedSinceCheck = false;
    // Finer tiers first: a minute closed now is merged into its 5-minute period before that
    // period is checked, so a rollup is complete when it closes.
    for (Tier tier : Tier.values()) {
      closeFinalPeriods(tier, now);
    }
    watermark = now;
    if (closedSinceCheck) {
      // Only closed periods need the watermark after a restart; a replica with nothing to close
      // writes nothing (each write is a changelog record and a transaction).
      watermarkStore.put(WATERMARK_KEY, now);
    }
    index.sweep(now);
    if (emittedSinceCheck) {
      // Final datapoints are readable (read_committed) once their transaction commits: ask for
      // that now rather than at the end of the commit interval, which can then be long enough
      // for a commit to cover many events (a commit costs several broker round trips).
      context.commit();
    }
  }

  private void closeFinalPeriods(Tier tier, long now) {
    long lastFinal = settings.lastFinalStart(tier, now);
    long from = scanFrom.get(tier);
    if (lastFinal < from) {
      return;
    }
    List<KeyValue<Bytes, Cell>> closing = new ArrayList<>();
    try (var iterator =
        open.range(OpenKey.lowest(tier, from), OpenKey.lowest(tier, lastFinal + 1))) {
      iterator.forEachRemaining(closing::add);
    }
    scanFrom.put(tier, lastFinal + 1);
    closedSinceCheck |= !closing.isEmpty();
    int i = 0;
    while (i < closing.size()) {
      long start = OpenKey.start(closing.get(i).key);
      Map<CellId, Cell> cells = new LinkedHashMap<>();
      for (; i < closing.size() && OpenKey.start(closing.get(i).key) == start; i++) {
        CellId cellId = OpenKey.cell(closing.get(i).key);
        Cell cell = closing.get(i).value;
        cells.computeIfAbsent(cellId, id -> new Cell()).merge(cell);
        if (tier.isBase()) {
          for (CellId coarser : rollup.apply(cellId)) {
            cells.computeIfAbsent(coarser, id -> new Cell()).merge(cell);
          }
        }
      }
      emitFinalPeriod(tier, start, cells, now);
    }
    for (var entry : closing) {
      open.delete(entry.key);
    }
  }

  private void emitFinalPeriod(Tier tier, long start, Map<CellId, Cell> cells, long now) {
    WindowStore<MetricId, Aggregate> tierStore = tiers.get(tier);
    for (var cell : cells.entrySet()) {
      for (var metric : cell.getValue().metrics().entrySet()) {
        MetricId id = cell.getKey().metric(metric.getKey());
        Aggregate aggregate = metric.getValue();
        tierStore.put(id, aggregate, start);
        if (tier == Tier.MINUTE) {
          index.lastDataAt(id, start);
        }
        context.forward(FinalDatapoints.record(id, tier, start, aggregate, now));
        counters.emitted(tier);
        emittedSinceCheck = true;
      }
      Optional<Tier> next = tier.rollsUpInto();
      if (next.isPresent()) {
        Tier into = next.get();
        mergeIntoOpen(into, into.windowStart(start), cell.getKey(), cell.getValue());
      }
    }
  }
}
