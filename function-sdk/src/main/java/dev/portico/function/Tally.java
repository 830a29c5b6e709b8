package dev.portico.function;

/**
 * Mutable counts behind {@link Counters}: one per transaction, added to the function's totals when
 * that transaction commits, with the handler's times. Totals are read from other threads, hence
 * synchronized.
 */
final class Tally {
  private long requests;
  private long replies;
  private long records;
  private long handlerErrors;
  private long malformed;
  private long expired;
  private long abortedTransactions;
  private final HandlerDurations durations = new HandlerDurations();

  synchronized void count(RequestProcessor.Result result) {
    requests++;
    replies += result.replied() ? 1 : 0;
    records += result.handlerRecords();
    switch (result.outcome()) {
      case HANDLER_FAILED -> handlerErrors++;
      case MALFORMED -> malformed++;
      case EXPIRED -> expired++;
      case ANSWERED -> {}
    }
    if (result.handlerSeconds() >= 0) {
      durations.observe(result.handlerSeconds());
    }
  }

  synchronized void add(Tally other) {
    Counters o = other.snapshot();
    requests += o.requests();
    replies += o.replies();
    records += o.records();
    handlerErrors += o.handlerErrors();
    malformed += o.malformed();
    expired += o.expired();
    abortedTransactions += o.abortedTransactions();
    durations.add(other.durations());
  }

  synchronized void countAbort() {
    abortedTransactions++;
  }

  /** A copy of the handler times counted so far. */
  synchronized HandlerDurations durations() {
    return durations.copy();
  }

  synchronized Counters snapshot() {
    return new Counters(
        requests, replies, records, handlerErrors, malformed, expired, abortedTransactions);
  }
}
