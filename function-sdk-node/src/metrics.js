'use strict';
/**
 * What a function has done, as counters and a histogram of handler times, and a tiny HTTP endpoint
 * that serves them on /metrics in Prometheus' text format, under the same names as the Java and
 * Python SDKs. Request counts and handler times cover committed transactions only, so a batch that
 * was aborted and processed again counts once.
 */
const http = require('node:http');
const { OUTCOME } = require('./protocol');

const COUNTERS = [
  ['requests', 'portico_function_requests_total', 'Request events consumed and committed.'],
  ['replies', 'portico_function_replies_total', 'Response events sent and committed.'],
  ['records', 'portico_function_records_total', 'Records the handler sent through context.send, committed.'],
  ['handlerErrors', 'portico_function_handler_errors_total', 'Requests answered 500 because the handler failed.'],
  ['malformed', 'portico_function_malformed_requests_total', 'Request events that were not a request (answered 400 when a reply was wanted).'],
  ['expired', 'portico_function_expired_requests_total', 'Requests skipped because their deadline had passed.'],
  ['abortedTransactions', 'portico_function_aborted_transactions_total', 'Transactions aborted after a Kafka error; their requests were processed again.'],
];

const DURATION = 'portico_function_handler_duration_seconds';
/** Upper bounds in seconds (then +Inf), the same in the three SDKs so their scrapes aggregate. */
const DURATION_BOUNDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

class Counters {
  constructor() {
    for (const [field] of COUNTERS) this[field] = 0;
    this.durationBuckets = new Array(DURATION_BOUNDS.length + 1).fill(0); // per bucket, not cumulative
    this.durationSum = 0;
  }

  observeHandler(seconds) {
    let i = 0;
    while (i < DURATION_BOUNDS.length && seconds > DURATION_BOUNDS[i]) i += 1;
    this.durationBuckets[i] += 1;
    this.durationSum += seconds;
  }

  /** Counts one processed request (see protocol.processRequest). */
  count(result) {
    this.requests += 1;
    this.replies += result.replied ? 1 : 0;
    this.records += result.handlerRecords;
    if (result.outcome === OUTCOME.HANDLER_FAILED) this.handlerErrors += 1;
    if (result.outcome === OUTCOME.MALFORMED) this.malformed += 1;
    if (result.outcome === OUTCOME.EXPIRED) this.expired += 1;
    if (typeof result.handlerSeconds === 'number') this.observeHandler(result.handlerSeconds);
  }

  add(other) {
    for (const [field] of COUNTERS) this[field] += other[field];
    other.durationBuckets.forEach((n, i) => {
      this.durationBuckets[i] += n;
    });
    this.durationSum += other.durationSum;
  }

  snapshot() {
    return Object.fromEntries(COUNTERS.map(([field]) => [field, this[field]]));
  }
}

/**
 * Prometheus text format 0.0.4: one sample per counter, then the handler-time histogram, labelled
 * with the function's topic.
 */
function render(counters, topic) {
  const fn = `function="${topic.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const lines = COUNTERS.map(
    ([field, name, help]) => `# HELP ${name} ${help}\n# TYPE ${name} counter\n${name}{${fn}} ${counters[field]}\n`,
  );
  lines.push(`# HELP ${DURATION} How long the handler ran per request, committed requests only.\n`);
  lines.push(`# TYPE ${DURATION} histogram\n`);
  let cumulative = 0;
  counters.durationBuckets.forEach((n, i) => {
    cumulative += n;
    const le = i < DURATION_BOUNDS.length ? String(DURATION_BOUNDS[i]) : '+Inf';
    lines.push(`${DURATION}_bucket{${fn},le="${le}"} ${cumulative}\n`);
  });
  lines.push(`${DURATION}_sum{${fn}} ${counters.durationSum}\n`);
  lines.push(`${DURATION}_count{${fn}} ${cumulative}\n`);
  return lines.join('');
}

/** Serves GET /metrics on `port` (0: any free port); resolves to the listening server. */
function serveMetrics(counters, topic, port, host = '0.0.0.0') {
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url.split('?')[0] === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(render(counters, topic));
    } else {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Not Found' }));
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

module.exports = { Counters, render, serveMetrics, DURATION_BOUNDS };
