package dev.portico.function;

/**
 * Mutable counts behind {@link Counters}: one per transaction, added to the function's totals when
 * that transaction commits. Totals are read from other threads, hence synchronized.
 */
final class Tally {
  private long requests;
  private long replies;
  private long records;
  private long handlerErrors;
  private long malformed;
  private long expired;
  private long abortedTransactions;

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
  }

  synchronized void countAbort() {
    abortedTransactions++;
  }

  synchronized Counters snapshot() {
    return new Counters(
        requests, replies, records, handlerErrors, malformed, expired, abortedTransactions);
  }
}
