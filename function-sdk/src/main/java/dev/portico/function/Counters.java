package dev.portico.function;

/**
 * What a function has done since it started. Request counts cover committed transactions only, so a
 * batch that was aborted and processed again counts once.
 *
 * @param requests request events consumed and committed
 * @param replies response events sent (requests with a reply address that were answered)
 * @param records records the handler sent through {@link FunctionContext#send}
 * @param handlerErrors requests answered 500 because the handler failed
 * @param malformed request events that were not a request (answered 400 when a reply was wanted)
 * @param expired requests skipped because their deadline had passed (no handler call, no reply)
 * @param abortedTransactions transactions aborted after a Kafka error; their batch was retried
 */
public record Counters(
    long requests,
    long replies,
    long records,
    long handlerErrors,
    long malformed,
    long expired,
    long abortedTransactions) {}
