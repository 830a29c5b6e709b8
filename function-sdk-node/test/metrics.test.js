'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Counters, render, serveMetrics, DURATION_BOUNDS } = require('../src/metrics');
const { settings } = require('../src/settings');
const { OUTCOME, HEADERS, processRequest, json } = require('../src/protocol');

const quiet = { warn() {}, error() {}, info() {} };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A request event as the edge sends it, for `name`, with a reply address. */
function request(name) {
  return {
    topic: 'portico.fn.m',
    partition: 0,
    offset: '1',
    key: Buffer.from(name),
    value: Buffer.from(JSON.stringify({ version: '2.0', pathParameters: { name } })),
    headers: {
      [HEADERS.CORRELATION_ID]: Buffer.from(name),
      [HEADERS.REPLY_TOPIC]: Buffer.from('portico.edge.replies'),
      [HEADERS.REPLY_PARTITION]: Buffer.from('0'),
      [HEADERS.DEADLINE]: Buffer.from(String(Date.now() + 60000)),
    },
  };
}

/** Every sample of a scrape: `name{labels}` to its value. */
function samples(text) {
  const out = {};
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (m) out[m[1]] = Number(m[2]);
  }
  return out;
}

test('counters count outcomes, and a tally is added once committed', () => {
  const tally = new Counters();
  tally.count({ outcome: OUTCOME.ANSWERED, replied: true, handlerRecords: 2 });
  tally.count({ outcome: OUTCOME.HANDLER_FAILED, replied: true, handlerRecords: 0 });
  tally.count({ outcome: OUTCOME.MALFORMED, replied: false, handlerRecords: 0 });
  tally.count({ outcome: OUTCOME.EXPIRED, replied: false, handlerRecords: 0 });
  const totals = new Counters();
  totals.add(tally);
  assert.deepEqual(totals.snapshot(), {
    requests: 4, replies: 2, records: 2, handlerErrors: 1, malformed: 1, expired: 1, abortedTransactions: 0,
  });
});

test('/metrics serves the handler times of processed requests as a histogram', async () => {
  const handler = async (event) => {
    const { name } = event.pathParameters;
    if (name.startsWith('slow')) await sleep(60);
    if (name.startsWith('boom')) throw new Error('failed on purpose');
    return json(200, { name });
  };
  const tally = new Counters();
  for (const name of ['a', 'b', 'c', 'slow1', 'slow2', 'boom']) {
    tally.count(await processRequest(request(name), handler, { log: quiet }));
  }
  // Neither a malformed event nor an expired one runs the handler: no time observed.
  tally.count(await processRequest({ ...request('x'), value: Buffer.from('nope') }, handler, { log: quiet }));
  const expired = request('late');
  expired.headers[HEADERS.DEADLINE] = Buffer.from(String(Date.now() - 1));
  tally.count(await processRequest(expired, handler, { log: quiet }));
  const counters = new Counters();
  counters.add(tally); // committed

  const server = await serveMetrics(counters, 'portico.fn.m', 0, '127.0.0.1');
  try {
    const text = await (await fetch(`http://127.0.0.1:${server.address().port}/metrics`)).text();
    assert.match(text, /^# TYPE portico_function_handler_duration_seconds histogram$/m);
    const s = samples(text);
    const fn = '{function="portico.fn.m"}';
    const bucket = (le) => s[`portico_function_handler_duration_seconds_bucket{function="portico.fn.m",le="${le}"}`];
    assert.equal(s[`portico_function_requests_total${fn}`], 8);
    assert.equal(s[`portico_function_handler_errors_total${fn}`], 1);
    assert.equal(s[`portico_function_handler_duration_seconds_count${fn}`], 6, 'six handler runs, the failed one too');
    assert.equal(bucket('+Inf'), 6);
    assert.equal(bucket('0.05'), 4, 'the four quick runs, not the two slow ones');
    assert.ok(s[`portico_function_handler_duration_seconds_sum${fn}`] >= 0.1, text);
    let previous = 0;
    for (const bound of DURATION_BOUNDS) {
      assert.ok(bucket(String(bound)) >= previous, `cumulative at ${bound}`);
      previous = bucket(String(bound));
    }
  } finally {
    server.close();
  }
});

test('/metrics serves the counters in Prometheus text format', async () => {
  const counters = new Counters();
  counters.requests = 7;
  const server = await serveMetrics(counters, 'portico.fn."x"', 0, '127.0.0.1');
  try {
    const base = `http://127.0.0.1:${server.address().port}`;
    const response = await fetch(`${base}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    assert.equal(text, render(counters, 'portico.fn."x"'));
    assert.match(text, /^# TYPE portico_function_requests_total counter$/m);
    assert.match(text, /^portico_function_requests_total\{function="portico\.fn\.\\"x\\""\} 7$/m);
    assert.equal((await fetch(`${base}/other`)).status, 404);
  } finally {
    server.close();
  }
});

test('settings: code wins over the environment, which wins over defaults', () => {
  const env = { PORTICO_FUNCTION_TOPIC: 'from-env', PORTICO_KAFKA_BOOTSTRAP: 'a:1,b:2', PORTICO_FUNCTION_METRICS_PORT: '9400' };
  const s = settings({ topic: 'from-code' }, env);
  assert.equal(s.topic, 'from-code');
  assert.equal(s.groupId, 'from-code');
  assert.deepEqual(s.bootstrapServers, ['a:1', 'b:2']);
  assert.equal(s.metricsPort, 9400);
  assert.equal(settings({}, env).topic, 'from-env');
  assert.equal(settings({ topic: 't' }, {}).metricsPort, null);
  assert.throws(() => settings({}, {}), /topic is required/);
  assert.throws(() => settings({ topic: 't' }, { PORTICO_FUNCTION_METRICS_PORT: 'x' }), /metricsPort/);
  assert.deepEqual(settings({ topic: 't', createTopic: true }, { PORTICO_TOPIC_PARTITIONS: '2' }).createTopic,
    { partitions: 2, replicationFactor: 1 });
});
